using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Secrets;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using Layercake.Tests.Serving.Security;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Secrets;

/// <summary>
/// The deploy's check of an environment's secret files, before anything changes (each error located at the pipeline
/// line naming the file, never quoting a token), and how they reach a container: a read-only mount and paths only.
/// </summary>
[Category(Categories.Unit)]
public sealed class EnvironmentSecretsTests
{
    private const string Token = "planted-secret-3f9a1c7e5b2d";

    private static EnvironmentSpec Environment(TempDirectory temp, string settings)
    {
        var yaml = $"name: p\ndata: data.csv\nlabel: y\ntask: regression\nenvironments:\n  production:\n    port: 8443\n{settings}";
        return PipelineSpecLoader.Parse(yaml, temp.Write("pipelines/p.yaml", yaml)).Environment("production");
    }

    [TestCase("", "there is no token")]
    [TestCase("short\n", "at least 16 bytes")]
    [TestCase("# comment only\n", "there is no token")]
    public void A_bad_tokens_file_is_refused_at_its_line_in_the_pipeline(string content, string problem)
    {
        using var temp = new TempDirectory();
        temp.Write("secrets/production.tokens", content);
        var environment = Environment(temp, "    auth: { tokens_file: ../secrets/production.tokens }\n");
        var ex = Assert.Throws<PipelineSpecException>(() => EnvironmentSecrets.Read(environment, _ => null, TimeProvider.System));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Location.Line, Is.EqualTo(8));
            Assert.That(ex.Key, Is.EqualTo("environments.production.auth.tokens_file"));
            Assert.That(ex.Message, Does.Contain("../secrets/production.tokens").And.Contain(problem));
        });
    }

    [Test]
    public void A_missing_tokens_file_and_an_unset_variable_are_named()
    {
        using var temp = new TempDirectory();
        var missing = Assert.Throws<PipelineSpecException>(() =>
            EnvironmentSecrets.Read(Environment(temp, "    auth: { tokens_file: nowhere.tokens }\n"), _ => null, TimeProvider.System));
        var unset = Assert.Throws<DeploymentFailedException>(() =>
            EnvironmentSecrets.Read(Environment(temp, "    auth: { tokens_env: PROD_TOKENS }\n"), _ => null, TimeProvider.System));
        Assert.That(missing!.Message, Does.Contain("nowhere.tokens").And.Contain("does not exist"));
        Assert.That(unset!.Message, Does.Contain("PROD_TOKENS").And.Contain("not set"));
    }

    [Test]
    public void A_certificate_with_another_key_is_refused_naming_both()
    {
        using var temp = new TempDirectory();
        TestCertificates.Write(temp, "secrets/tls");
        TestCertificates.Write(temp, "secrets/other");
        var environment = Environment(temp, "    tls: { certificate: ../secrets/tls.crt, key: ../secrets/other.key }\n");
        var ex = Assert.Throws<PipelineSpecException>(() => EnvironmentSecrets.Read(environment, _ => null, TimeProvider.System));
        Assert.That(ex!.Message, Does.Contain("other.key").And.Contain("does not match the certificate ../secrets/tls.crt"));
    }

    [Test]
    public void Secrets_reach_the_container_as_a_read_only_mount_and_its_environment_holds_only_paths()
    {
        using var temp = new TempDirectory();
        temp.Write("secrets/production.tokens", Token + "\n");
        TestCertificates.Write(temp, "secrets/tls");
        var environment = Environment(temp,
            "    auth: { tokens_file: ../secrets/production.tokens }\n" +
            "    tls: { certificate: ../secrets/tls.crt, key: ../secrets/tls.key }\n");
        var secrets = EnvironmentSecrets.Read(environment, _ => null, TimeProvider.System);
        var parameters = new CreateContainerParameters
        {
            Name = "layercake-p-production-1.0.0-abcdef", Env = [], HostConfig = new HostConfig { Mounts = [] },
        };
        new SecretMounts(temp.File("staged")).Apply(parameters, secrets);
        var mount = parameters.HostConfig.Mounts.Single();
        var staged = Path.Combine(temp.File("staged"), parameters.Name, "tokens");
        Assert.Multiple(() =>
        {
            Assert.That(string.Join('\n', parameters.Env), Does.Not.Contain(Token).And.Not.Contain("PRIVATE KEY"));
            Assert.That(parameters.Env, Does.Contain("LAYERCAKE_AUTH_TOKENS_FILE=/run/secrets/layercake/tokens"));
            Assert.That(parameters.Env, Does.Contain("LAYERCAKE_TLS_KEY=/run/secrets/layercake/tls.key"));
            Assert.That((mount.Type, mount.ReadOnly, mount.Target), Is.EqualTo(("bind", true, SecretMounts.ContainerDirectory)));
            Assert.That(File.ReadAllText(staged), Is.EqualTo(Token + "\n"));
            Assert.That(secrets.ToString(), Does.Not.Contain(Token));
        });
        if (!OperatingSystem.IsWindows())
        {
            var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(staged)!), Is.EqualTo(owner));
        }
    }

    [Test]
    public async Task A_build_that_cannot_chown_runs_the_container_as_its_own_user_who_owns_the_folder()
    {
        using var temp = new TempDirectory();
        temp.Write("secrets/production.tokens", Token + "\n");
        var secrets = EnvironmentSecrets.Read(Environment(temp, "    auth: { tokens_file: ../secrets/production.tokens }\n"), _ => null, TimeProvider.System);
        var unprivileged = new CreateContainerParameters { Name = "layercake-p-production-1", Env = [] };
        var privileged = new CreateContainerParameters { Name = "layercake-p-production-2", Env = [] };

        new SecretMounts(temp.File("staged"), privileged: false).Apply(unprivileged, secrets);
        new SecretMounts(temp.File("staged"), privileged: true).Apply(privileged, secrets);

        Assume.That(OperatingSystem.IsLinux() && System.Environment.IsPrivilegedProcess, "chown needs root");
        var unprivilegedOwner = await OwnerAsync(temp.File("staged/layercake-p-production-1"));
        var privilegedOwner = await OwnerAsync(temp.File("staged/layercake-p-production-2"));
        Assert.Multiple(() =>
        {
            Assert.That(unprivileged.User, Is.EqualTo(unprivilegedOwner), "the folder's owner, not 65532");
            Assert.That(privileged.User, Is.Null.Or.Empty, "the image's own user, 65532");
            Assert.That(privilegedOwner, Is.EqualTo("65532:65532"));
        });
    }

    private static async Task<string> OwnerAsync(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u:%g", path]) { RedirectStandardOutput = true })!;
        var owner = (await stat.StandardOutput.ReadToEndAsync()).Trim();
        await stat.WaitForExitAsync();
        return owner;
    }
}
