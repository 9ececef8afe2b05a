using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Layercake.Tests.Deployment.Rollouts;

/// <summary>
/// Requests at a fixed rate (each released when due, whether or not earlier ones have answered), recording when each
/// was answered, its status and the version the proxy or server named in <c>X-Model-Version</c> (or the body's
/// <c>model_version</c> where no proxy is in the path), so a split can be measured from the outside.
/// </summary>
public sealed class SplitLoad : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DateTimeOffset At, string? Version, string? Failure)> _answers = [];
    private readonly List<Task> _inFlight = [];
    private readonly Task _loop;

    public SplitLoad(Uri uri, string body, double perSecond) => _loop = Task.Run(() => RunAsync(uri, body, perSecond));

    public IReadOnlyList<(DateTimeOffset At, string? Version, string? Failure)> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    public IReadOnlyList<string> Failures => [.. Answers.Where(a => a.Failure is not null).Select(a => a.Failure!)];

    /// <summary>The share (percent) of the requests answered between two moments that <paramref name="version"/> answered.</summary>
    public double ShareOf(string version, DateTimeOffset from, DateTimeOffset to)
    {
        var within = Answers.Where(a => a.At >= from && a.At <= to && a.Failure is null).ToList();
        return within.Count == 0 ? double.NaN : 100.0 * within.Count(a => a.Version == version) / within.Count;
    }

    private async Task RunAsync(Uri uri, string body, double perSecond)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (!_stop.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(sent / perSecond) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
                continue;
            }

            sent++;
            lock (_answers)
            {
                _inFlight.Add(SendAsync(uri, body));
            }
        }
    }

    private async Task SendAsync(Uri uri, string body)
    {
        (DateTimeOffset, string?, string?) answer;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(uri, content);
            var text = await response.Content.ReadAsStringAsync();
            var version = response.Headers.TryGetValues("X-Model-Version", out var values)
                ? values.First()
                : response.IsSuccessStatusCode ? System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("model_version").GetString() : null;
            answer = (DateTimeOffset.UtcNow, version, response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}: {text}");
        }
        catch (Exception ex)
        {
            answer = (DateTimeOffset.UtcNow, null, ex.GetBaseException().Message);
        }

        lock (_answers)
        {
            _answers.Add(answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        Task[] inFlight;
        lock (_answers)
        {
            inFlight = [.. _inFlight];
        }

        await Task.WhenAll(inFlight);
        _http.Dispose();
    }
}
