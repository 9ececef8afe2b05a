using Layercake.Runtime.Protocols;

namespace Layercake.Serving.Hosting;

/// <summary>
/// <c>--healthcheck</c>: the image has no shell or curl, so Docker's HEALTHCHECK runs the server binary
/// itself, which asks its own readiness endpoint on loopback.
/// </summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync(ServingOptions options)
    {
        // The admin port is always plain HTTP; the server's own port speaks HTTPS when it has a certificate, for a name
        // that is not 127.0.0.1, so this probe of its own process on loopback does not check it.
        var https = options.AdminPort is null && options.Tls is not null;
        using var handler = new HttpClientHandler();
        if (https)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            var scheme = https ? "https" : "http";
            var port = options.AdminPort ?? options.Port;
            using var response = await client.GetAsync($"{scheme}://127.0.0.1:{port}{OpenInferencePaths.HealthReady}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"unhealthy: {ex.Message}");
            return 1;
        }
    }
}
