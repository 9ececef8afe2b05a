using Layercake.Runtime.Security;

namespace Layercake.Serving.Security;

/// <summary>
/// The tokens in force. From a file, they are read at start (a bad file stops the server, naming it) and compared with
/// the file every <see cref="AuthOptions.ReloadInterval"/>, so a rotation by rewriting the file is honoured within
/// two intervals (2 s by default), without a restart. A file that turns bad (empty, a short token, unreadable) keeps
/// the last good tokens and logs why, rather than locking every client out or letting everyone in. Nothing logged ever quotes a token.
/// </summary>
internal sealed class TokenStore : IAsyncDisposable
{
    private readonly AuthOptions _options;
    private readonly Serilog.ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private volatile TokenDigests _current;
    private string? _lastProblem;
    private TokenDigests? _pending;

    private TokenStore(AuthOptions options, TokenDigests initial, Serilog.ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _current = initial;
        _watching = options.TokensFile is { } file ? WatchAsync(file, time, _stop.Token) : Task.CompletedTask;
    }

    public TokenDigests Current => _current;

    /// <summary>Loads the tokens once, or throws <see cref="InvalidDataException"/> naming their source and the problem.</summary>
    public static TokenStore Load(AuthOptions options, Func<string, string?> environment, Serilog.ILogger logger, TimeProvider time)
    {
        string text;
        string source;
        if (options.TokensFile is { } file)
        {
            source = $"the tokens file {file}";
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException($"{source} cannot be read: {ex.Message}", ex);
            }
        }
        else
        {
            source = $"the variable {options.TokensVariable}";
            text = environment(options.TokensVariable!) ?? throw new InvalidDataException($"{source} is not set");
        }

        try
        {
            var digests = new TokenDigests(TokenFile.Parse(text));
            logger.Information("Authentication on: {Count} token(s) from {Source}", digests.Count, source);
            return new TokenStore(options, digests, logger, time);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }
    }

    private async Task WatchAsync(string file, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ReloadAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ReloadAsync(string file, CancellationToken cancellationToken)
    {
        string? problem = null;
        try
        {
            var next = new TokenDigests(TokenFile.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)));
            if (next.SameAs(_current))
            {
                _pending = null;
            }
            else if (_pending is not null && next.SameAs(_pending))
            {
                _current = next;
                _pending = null;
                _logger.Information("Tokens reloaded from {File}: {Count} token(s) valid", file, next.Count);
            }
            else
            {
                // Taken only when read the same twice in a row: a file rewritten in place (the only way a change
                // reaches a bind-mounted file) may be read half-written, and half a token can still be 16 bytes.
                _pending = next;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            problem = ex.Message;
            _pending = null;
        }

        if (problem is not null && problem != _lastProblem)
        {
            _logger.Warning("The tokens file {File} is not usable ({Problem}); the last good tokens stay valid", file, problem);
        }

        _lastProblem = problem;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stop.Dispose();
    }
}
