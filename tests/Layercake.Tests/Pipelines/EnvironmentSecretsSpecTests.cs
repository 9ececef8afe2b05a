using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

/// <summary>An environment's <c>auth:</c> and <c>tls:</c>: paths resolved against the pipeline's folder, shapes checked.</summary>
[Category(Categories.Unit)]
public sealed class EnvironmentSecretsSpecTests
{
    private const string File = "/repo/pipelines/test.yaml";
    private const string Minimal = "name: envtest\ndata: data.csv\nlabel: y\ntask: regression\n";

    private static PipelineSpec Parse(string environments) => PipelineSpecLoader.Parse(Minimal + environments, File);

    [Test]
    public void Reads_auth_and_tls_with_paths_relative_to_the_pipeline_file()
    {
        var spec = Parse("""
            environments:
              production:
                port: 8443
                auth: { tokens_file: ../secrets/production.tokens, metrics: open }
                tls: { certificate: ../secrets/tls.crt, key: ../secrets/tls.key }
              staging:
                port: 8081
                auth: { tokens_env: STAGING_TOKENS }
            """);
        var production = spec.Environment("production");
        Assert.Multiple(() =>
        {
            Assert.That(production.Auth!.TokensFile!.FullPath, Is.EqualTo(Path.GetFullPath("/repo/secrets/production.tokens")));
            Assert.That(production.Auth.TokensFile.Location.Line, Is.EqualTo(8));
            Assert.That(production.Auth.MetricsOpen, Is.True);
            Assert.That(production.Tls!.Key.FullPath, Is.EqualTo(Path.GetFullPath("/repo/secrets/tls.key")));
            Assert.That(spec.Environment("staging").Auth!.TokensVariable, Is.EqualTo("STAGING_TOKENS"));
            Assert.That(spec.Environment("staging").Auth!.MetricsOpen, Is.False, "protected by default");
            Assert.That(spec.Environment("staging").Tls, Is.Null);
        });
    }

    [TestCase("auth: {}", "environments.staging.auth", "exactly one of tokens_file")]
    [TestCase("auth: { tokens_file: a, tokens_env: B }", "environments.staging.auth", "exactly one of tokens_file")]
    [TestCase("auth: { tokens_env: 'not a name' }", "environments.staging.auth.tokens_env", "not an environment variable name")]
    [TestCase("auth: { tokens_file: a, metrics: public }", "environments.staging.auth.metrics", "expected one of: protected, open")]
    [TestCase("auth: { token: abcdefabcdefabcdef }", "environments.staging.auth.token", "unknown key")]
    [TestCase("tls: { certificate: a.crt }", "environments.staging.tls", "both certificate and key")]
    [TestCase("tls: a.crt", "environments.staging.tls", "expected a mapping")]
    public void Rejects_bad_auth_and_tls_naming_file_line_and_key(string setting, string key, string problem)
    {
        var ex = Assert.Throws<PipelineSpecException>(() => Parse($"environments:\n  staging:\n    port: 8081\n    {setting}\n"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.File, Is.EqualTo(File));
            Assert.That(ex.Location.Line, Is.EqualTo(8));
            Assert.That(ex.Key, Is.EqualTo(key));
            Assert.That(ex.Problem, Does.Contain(problem));
        });
    }

    [Test]
    public void The_schema_accepts_auth_and_tls_and_refuses_both_token_sources()
    {
        const string Good =
            "environments:\n  production:\n    port: 8443\n    auth: { tokens_file: t }\n    tls: { certificate: c, key: k }\n";
        const string Both = "environments:\n  production:\n    port: 8443\n    auth: { tokens_file: t, tokens_env: T }\n";
        Assert.That(PipelineSchema.Errors(Minimal + Good), Is.Empty);
        Assert.That(PipelineSchema.Errors(Minimal + Both), Is.Not.Empty);
    }
}
