using System.Globalization;
using System.Net;
using Octokit;

namespace Layercake.Shared.GitHub;

/// <summary>
/// A failed GitHub call reduced to what retrying and reporting need: the status (null when no answer came),
/// GitHub's message and the response headers. Built from Octokit's exceptions and from our own downloads.
/// </summary>
internal sealed record GitHubFailure(int? Status, string Message, IReadOnlyDictionary<string, string> Headers)
{
    public static GitHubFailure? From(Exception exception) => exception switch
    {
        ApiException api => new GitHubFailure((int)api.StatusCode, ApiMessage(api), HeadersOf(api.HttpResponse?.Headers)),
        GitHubHttpException http => new GitHubFailure(http.Status, http.Message, http.Headers),
        HttpRequestException network => new GitHubFailure(null, network.Message, Empty),
        // HttpClient's own timeout; a cancellation the caller asked for is filtered out before this.
        TaskCanceledException timeout => new GitHubFailure(null, "the request timed out: " + timeout.Message, Empty),
        _ => null,
    };

    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>GitHub's <c>Retry-After</c>, in seconds or as an HTTP date.</summary>
    public TimeSpan? RetryAfter(DateTimeOffset now)
    {
        var value = Header("Retry-After");
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Max(at - now, TimeSpan.Zero) : null;
    }

    /// <summary>When the primary rate limit is spent (<c>x-ratelimit-remaining: 0</c>), the time until <c>x-ratelimit-reset</c>.</summary>
    public TimeSpan? UntilRateLimitReset(DateTimeOffset now)
    {
        if (Header("x-ratelimit-remaining") != "0"
            || !long.TryParse(Header("x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            return null;
        }

        // A second more, since the reset time is rounded down to whole seconds.
        return Max(DateTimeOffset.FromUnixTimeSeconds(reset) - now, TimeSpan.Zero) + TimeSpan.FromSeconds(1);
    }

    public bool IsSecondaryRateLimit =>
        Message.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
            || Message.Contains("abuse", StringComparison.OrdinalIgnoreCase);

    public bool IsRateLimit(DateTimeOffset now) =>
        Status == 429 || (Status == 403 && (RetryAfter(now) is not null || UntilRateLimitReset(now) is not null || IsSecondaryRateLimit));

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static IReadOnlyDictionary<string, string> HeadersOf(IReadOnlyDictionary<string, string>? headers) => headers ?? Empty;

    private static string ApiMessage(ApiException api)
    {
        var message = api.ApiError?.Message ?? api.Message;
        var errors = api.ApiError?.Errors;
        if (errors is { Count: > 0 })
        {
            message += " ("
                + string.Join("; ",
                errors.Select(e => string.Join(" ", new[] { e.Resource, e.Field, e.Code, e.Message }.Where(p => !string.IsNullOrEmpty(p)))))
                + ")";
        }

        return api.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(message) ? "Not Found" : message;
    }
}
