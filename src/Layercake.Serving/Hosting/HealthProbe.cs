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
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{options.AdminPort ?? options.Port}{OpenInferencePaths.HealthReady}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"unhealthy: {ex.Message}");
            return 1;
        }
    }
}
