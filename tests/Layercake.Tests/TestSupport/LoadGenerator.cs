using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// Steady traffic at a port from a few concurrent clients, counting every request that fails (an exception
/// or a status other than 200), for as long as it runs.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _succeeded;
    private long _failed;

    public LoadGenerator(Uri uri, string jsonBody, int clients = 4)
    {
        for (var i = 0; i < clients; i++)
        {
            _workers.Add(Task.Run(() => RunAsync(uri, jsonBody)));
        }
    }

    public long Succeeded => Interlocked.Read(ref _succeeded);
    public long Failed => Interlocked.Read(ref _failed);
    public List<string> Failures { get; } = [];
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>From the first failed request to the last (zero without failures): how long clients saw no service.</summary>
    public TimeSpan FailureWindow { get; private set; }

    private TimeSpan? _firstFailure;

    /// <summary>Served versions seen in responses (the model_version field), in the order first seen.</summary>
    public List<string> VersionsSeen { get; } = [];

    private async Task RunAsync(Uri uri, string body)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.PostAsync(uri, content, _stop.Token);
                var text = await response.Content.ReadAsStringAsync(_stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _succeeded);
                    var version = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("model_version").GetString()!;
                    lock (VersionsSeen)
                    {
                        if (!VersionsSeen.Contains(version))
                        {
                            VersionsSeen.Add(version);
                        }
                    }
                }
                else
                {
                    Fail($"{(int)response.StatusCode}: {text}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Fail(ex.GetBaseException().Message);
            }
        }
    }

    private void Fail(string reason)
    {
        Interlocked.Increment(ref _failed);
        lock (Failures)
        {
            _firstFailure ??= _clock.Elapsed;
            FailureWindow = _clock.Elapsed - _firstFailure.Value;
            if (Failures.Count < 20)
            {
                Failures.Add(reason);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _http.Dispose();
    }
}
