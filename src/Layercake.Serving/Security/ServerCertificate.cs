using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Layercake.Serving.Security;

/// <summary>Loads the server's certificate and key from PEM files, refusing a pair that does not match, naming the files.</summary>
internal static class ServerCertificate
{
    public static X509Certificate2 Load(TlsOptions options, Serilog.ILogger logger, TimeProvider time)
    {
        X509Certificate2 certificate;
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(options.CertificateFile, options.KeyFile);
            // Kestrel on Linux needs the key in a form it can hand to OpenSSL; an ephemeral PEM key is re-imported as PKCS#12.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidDataException(
                $"the TLS certificate {options.CertificateFile} with key {options.KeyFile} cannot be used: {ex.Message}", ex);
        }

        var expires = certificate.NotAfter.ToUniversalTime();
        var left = expires - time.GetUtcNow().UtcDateTime;
        logger.Information("HTTPS with {Subject}, valid until {NotAfter:O} ({Days:0} days left)",
            certificate.Subject, expires, left.TotalDays);
        if (left < TimeSpan.FromDays(14))
        {
            logger.Warning("The TLS certificate {Subject} expires {NotAfter:O}", certificate.Subject, expires);
        }

        return certificate;
    }
}
