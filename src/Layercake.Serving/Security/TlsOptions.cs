using Layercake.Runtime.Settings;

namespace Layercake.Serving.Security;

/// <summary>A PEM certificate (with its chain) and its private key: the server's port speaks HTTPS. Null: plain HTTP.</summary>
internal sealed record TlsOptions(string CertificateFile, string KeyFile)
{
    public static TlsOptions? Parse(Func<string, string, string?> value)
    {
        var certificate = value("tls-certificate", ServingEnvironmentVariables.TlsCertificate) is { Length: > 0 } c ? c : null;
        var key = value("tls-key", ServingEnvironmentVariables.TlsKey) is { Length: > 0 } k ? k : null;
        return (certificate, key) switch
        {
            (null, null) => null,
            ({ } cert, { } pem) => new TlsOptions(cert, pem),
            _ => throw new ArgumentException("TLS needs both a certificate and its key; only one of the two is set."),
        };
    }
}
