namespace Layercake.Deployment.Secrets;

/// <summary>
/// An environment's tokens and TLS files as read and checked by the deploy, held only in memory until they are
/// written where the container mounts them. A class, not a record: a record's generated ToString would print them.
/// </summary>
internal sealed class ServingSecrets
{
    public static readonly ServingSecrets None = new(null, null, null, null, false);

    public ServingSecrets(string? tokens, byte[]? certificatePem, byte[]? keyPem, DateTimeOffset? certificateExpires, bool metricsOpen)
    {
        Tokens = tokens;
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        CertificateExpires = certificateExpires;
        MetricsOpen = metricsOpen;
    }

    /// <summary>The tokens file's text, one token a line; null: no authentication.</summary>
    public string? Tokens { get; }

    public byte[]? CertificatePem { get; }

    public byte[]? KeyPem { get; }

    public DateTimeOffset? CertificateExpires { get; }

    public bool MetricsOpen { get; }

    public bool Any => Tokens is not null || CertificatePem is not null;

    public override string ToString() =>
        $"secrets (tokens: {(Tokens is null ? "none" : "set")}, tls: {(CertificatePem is null ? "none" : "set")})";
}
