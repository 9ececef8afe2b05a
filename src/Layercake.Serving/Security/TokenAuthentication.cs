using Layercake.Runtime.Protocols;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Responses;

namespace Layercake.Serving.Security;

/// <summary>
/// Refuses every request but the health checks (and /metrics, when it is open) that does not carry a valid token, as
/// <c>Authorization: Bearer …</c> (KServe's and Triton's clients) or <c>X-Api-Key</c> (MLflow deployments' gateways).
/// A refusal is a 401 with <c>WWW-Authenticate: Bearer</c>, in the protocol's error shape, and says the same whatever
/// was wrong with the credential: a malformed header tells a caller no more than a wrong token does.
/// </summary>
internal sealed class TokenAuthentication(TokenStore tokens, AuthOptions options)
{
    public const string ApiKeyHeader = "X-Api-Key";
    private const string Realm = "Bearer realm=\"layercake\"";
    private const string Message = "a valid token is required: send it as 'Authorization: Bearer <token>' or in the X-Api-Key header";

    /// <summary>Orchestrators probe these without credentials; they say nothing about the model.</summary>
    private static readonly HashSet<string> OpenPaths = new(StringComparer.OrdinalIgnoreCase)
    {
        OpenInferencePaths.HealthLive, OpenInferencePaths.HealthReady, "/ping", "/health",
    };

    private long _refused;

    /// <summary>Requests refused for want of a valid token, for /metrics.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        if (OpenPaths.Contains(path) || (options.MetricsOpen && path.Equals("/metrics", StringComparison.OrdinalIgnoreCase)))
        {
            return next(context);
        }

        if (Credential(context.Request.Headers) is { } presented && tokens.Current.Matches(presented))
        {
            return next(context);
        }

        Interlocked.Increment(ref _refused);
        context.Response.Headers.WWWAuthenticate = Realm;
        var error = path.Equals("/invocations", StringComparison.OrdinalIgnoreCase)
            ? ResponseWriter.MlflowError(StatusCodes.Status401Unauthorized, Message)
            : ResponseWriter.Error(StatusCodes.Status401Unauthorized, Message);
        return error.ExecuteAsync(context);
    }

    /// <summary>The one credential presented, or null when there is none or it is malformed (two headers, no scheme).</summary>
    internal static string? Credential(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization;
        if (authorization.Count > 0)
        {
            if (authorization.Count != 1 || authorization[0] is not { } value)
            {
                return null;
            }

            const string Scheme = "Bearer ";
            if (value.Length <= Scheme.Length || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var token = value[Scheme.Length..].Trim(' ');
            return token.Length > 0 && !token.Contains(' ', StringComparison.Ordinal) ? token : null;
        }

        var apiKey = headers[ApiKeyHeader];
        return apiKey.Count == 1 && apiKey[0] is { Length: > 0 } key ? key.Trim(' ') : null;
    }
}
