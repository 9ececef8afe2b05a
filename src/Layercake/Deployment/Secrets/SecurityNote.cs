using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;

namespace Layercake.Deployment.Secrets;

/// <summary>What Status says of an environment's protection: whether callers need a token, and when its certificate expires.</summary>
internal static class SecurityNote
{
    public static string? For(EnvironmentSpec environment, TimeProvider time)
    {
        var parts = new List<string>();
        if (environment.Auth is not null)
        {
            parts.Add("callers need a token");
        }

        if (environment.Tls is { } tls)
        {
            parts.Add(Certificate(tls.Certificate, time));
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Certificate(PipelinePath file, TimeProvider time)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(file.FullPath);
            var expires = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var days = (expires - time.GetUtcNow()).TotalDays;
            var when = expires.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            return days < 0
                ? $"HTTPS certificate EXPIRED {when} UTC"
                : string.Create(CultureInfo.InvariantCulture,
                    $"HTTPS certificate expires {when} UTC ({days:0} days){(days < 14 ? ": renew it" : "")}");
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"HTTPS certificate {file.Written} cannot be read: {ex.Message}";
        }
    }
}
