using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Security;

namespace Layercake.Deployment.Secrets;

/// <summary>
/// Reads and checks an environment's <c>auth:</c> and <c>tls:</c> files before a deploy changes anything: a missing or
/// unreadable file, an empty tokens file, a token under 16 bytes, a certificate that does not match its key or has
/// expired, each is an error located at the pipeline line that names the file. No message quotes a token.
/// </summary>
internal static class EnvironmentSecrets
{
    public static ServingSecrets Read(EnvironmentSpec environment, Func<string, string?> variables, TimeProvider time)
    {
        string? tokens = null;
        if (environment.Auth is { } auth)
        {
            tokens = auth.TokensFile is { } file ? Tokens(file) : TokensFromVariable(environment, auth, variables);
        }

        byte[]? certificate = null;
        byte[]? key = null;
        DateTimeOffset? expires = null;
        if (environment.Tls is { } tls)
        {
            certificate = Bytes(tls.Certificate, "certificate");
            key = Bytes(tls.Key, "private key");
            expires = Expiry(tls, certificate, key, time);
        }

        return new ServingSecrets(tokens, certificate, key, expires, environment.Auth?.MetricsOpen ?? false);
    }

    private static string Tokens(PipelinePath file)
    {
        var text = System.Text.Encoding.UTF8.GetString(Bytes(file, "tokens file"));
        try
        {
            TokenFile.Parse(text);
            return text;
        }
        catch (FormatException ex)
        {
            throw file.Error(ex.Message);
        }
    }

    private static string TokensFromVariable(EnvironmentSpec environment, AuthSpec auth, Func<string, string?> variables)
    {
        var key = $"environments.{environment.Name}.auth.tokens_env";
        var text = variables(auth.TokensVariable!);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DeploymentFailedException(
                $"{key}: the variable {auth.TokensVariable} is not set on this machine; it must hold the tokens, one a line");
        }

        try
        {
            TokenFile.Parse(text);
            return text;
        }
        catch (FormatException ex)
        {
            throw new DeploymentFailedException($"{key}: the variable {auth.TokensVariable}: {ex.Message}");
        }
    }

    private static byte[] Bytes(PipelinePath file, string what)
    {
        try
        {
            return File.ReadAllBytes(file.FullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw file.Error($"the {what} {file.FullPath} does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw file.Error($"the {what} {file.FullPath} cannot be read: {ex.Message}");
        }
    }

    private static DateTimeOffset Expiry(TlsSpec tls, byte[] certificatePem, byte[] keyPem, TimeProvider time)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(
                System.Text.Encoding.ASCII.GetString(certificatePem), System.Text.Encoding.ASCII.GetString(keyPem));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw tls.Key.Error(
                $"this key does not match the certificate {tls.Certificate.Written}, or one of them is not PEM: {ex.Message}");
        }

        using (certificate)
        {
            var expires = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            return expires > time.GetUtcNow()
                ? expires
                : throw tls.Certificate.Error($"the certificate expired {expires:yyyy-MM-dd HH:mm} UTC");
        }
    }
}
