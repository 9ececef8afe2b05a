using System.Text.RegularExpressions;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;

namespace Layercake.Pipelines.Internal;

/// <summary>
/// Reads an environment's <c>auth:</c> and <c>tls:</c>. Only their shape is checked here: the files themselves are read
/// and checked by the deploy, before anything is switched, so a pipeline can be validated where the secrets are not.
/// </summary>
internal static partial class EnvironmentSecretsReader
{
    private static readonly Dictionary<string, bool> MetricsModes = new() { ["protected"] = false, ["open"] = true };

    public static AuthSpec? ReadAuth(YamlSection environment)
    {
        if (environment.OptionalSection("auth", ["tokens_file", "tokens_env", "metrics"]) is not { } auth)
        {
            return null;
        }

        var file = Path(auth, "tokens_file");
        var variable = auth.Get("tokens_env") is { } node ? auth.ScalarText(node, auth.KeyPath("tokens_env")) : null;
        if ((file is null) == (variable is null))
        {
            throw auth.Error(auth.Node, environment.KeyPath("auth"),
                "expected exactly one of tokens_file (a file of tokens, one a line) or tokens_env (the name of a variable holding them)");
        }

        if (variable is not null && !VariablePattern().IsMatch(variable))
        {
            throw auth.Error(auth.Get("tokens_env")!, auth.KeyPath("tokens_env"), $"'{variable}' is not an environment variable name");
        }

        return new AuthSpec(file, variable, auth.OptionalEnum("metrics", false, MetricsModes), auth.Location);
    }

    public static TlsSpec? ReadTls(YamlSection environment)
    {
        if (environment.OptionalSection("tls", ["certificate", "key"]) is not { } tls)
        {
            return null;
        }

        var certificate = Path(tls, "certificate");
        var key = Path(tls, "key");
        return certificate is not null && key is not null
            ? new TlsSpec(certificate, key)
            : throw tls.Error(tls.Node, environment.KeyPath("tls"),
                "expected both certificate and key (PEM files, relative to the pipeline file)");
    }

    private static PipelinePath? Path(YamlSection section, string key)
    {
        if (section.Get(key) is not { } node)
        {
            return null;
        }

        var written = section.ScalarText(node, section.KeyPath(key));
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(section.File))!;
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, written));
        return new PipelinePath(full, written, section.File, YamlSection.Locate(node), section.KeyPath(key));
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariablePattern();
}
