using System.Net;
using System.Net.Sockets;
using System.Text;
using Layercake.Serving.Hosting;
using Layercake.Serving.PredictionLog;
using Layercake.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace Layercake.Tests.Serving;

/// <summary>The serving app on a free loopback port, in this process, over a real package (penguins unless given).</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private WebApplication? _app;

    public HttpClient Http { get; } = new();

    public string ModelDirectory { get; private set; } = "";

    public int Port { get; private set; }

    public static async Task<ServerFixture> StartAsync(
        int maxRows = 100, long maxBodyBytes = 64 * 1024, int? port = null, bool reusePort = false,
        PredictionLogOptions? predictionLog = null, Func<string, Stream>? openLogFile = null, Layercake.Registry.RegisteredVersion? package = null,
        Serilog.ILogger? logger = null, Func<ServingOptions, ServingOptions>? configure = null, bool strictColumns = false, string? scorer = null)
    {
        package ??= await TestPackages.PenguinsAsync();
        var chosen = port ?? FreePort();
        var options = new ServingOptions { ModelDirectory = package.Directory, Port = chosen, BindAddress = "127.0.0.1", MaxRows = maxRows, MaxBodyBytes = maxBodyBytes, ReusePort = reusePort, PredictionLog = predictionLog,
            StrictColumns = strictColumns, Scorer = scorer };
        options = configure?.Invoke(options) ?? options;
        var fixture = new ServerFixture { ModelDirectory = package.Directory };
        fixture._app = await ServingApp.BuildAsync(options, logger ?? Serilog.Core.Logger.None, TimeProvider.System, openLogFile);
        await fixture._app.StartAsync();
        fixture.Http.BaseAddress = new Uri($"{(options.Tls is null ? "http" : "https")}://127.0.0.1:{chosen}/");
        fixture.Port = chosen;
        return fixture;
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await Http.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Stops the server gracefully (the prediction log is flushed); disposing afterwards is harmless.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
