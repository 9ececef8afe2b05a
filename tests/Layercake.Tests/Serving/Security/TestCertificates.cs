using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving.Security;

/// <summary>Self-signed certificates for 127.0.0.1, written as PEM files as an operator would have them.</summary>
internal static class TestCertificates
{
    /// <summary>Writes <c>name.crt</c> and <c>name.key</c>; returns their paths and the certificate.</summary>
    public static (string Certificate, string Key, X509Certificate2 Issued) Write(
        TempDirectory temp, string name, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var issued = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(90));
        var certificate = temp.Write($"{name}.crt", issued.ExportCertificatePem());
        var keyFile = temp.Write($"{name}.key", key.ExportPkcs8PrivateKeyPem());
        return (certificate, keyFile, issued);
    }
}
