using System.Globalization;
using Layercake.Runtime.Settings;

namespace Layercake.Serving.PredictionLog;

/// <summary>
/// Where and how predictions are logged: JSON Lines files under <see cref="Directory"/>, a new file every
/// <see cref="RotateEvery"/> (aligned to the clock) or after <see cref="MaxFileBytes"/>, fed through a queue of
/// <see cref="Capacity"/> requests holding at most <see cref="MaxQueuedRows"/> rows (a batch request is many
/// rows, so a request count alone would not bound memory). <see cref="SampleRate"/> keeps that share of requests.
/// </summary>
internal sealed record PredictionLogOptions(string Directory)
{
    public const int DefaultCapacity = 10_000;
    public const long DefaultMaxFileBytes = 64L * 1024 * 1024;
    public const int DefaultMaxQueuedRows = 100_000;

    /// <summary>The folder value that turns the log off, over a deployment's folder too (any case).</summary>
    public const string Off = "off";

    public int Capacity { get; init; } = DefaultCapacity;
    public int MaxQueuedRows { get; init; } = DefaultMaxQueuedRows;

    /// <summary>Log files opened longer ago than this are deleted when a new file opens; null keeps them all.</summary>
    public TimeSpan? KeepFor { get; init; } = TimeSpan.FromDays(30);
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;
    public TimeSpan RotateEvery { get; init; } = TimeSpan.FromHours(1);
    public double SampleRate { get; init; } = 1.0;

    /// <summary>
    /// Reads the prediction log's switches and variables; null when no directory is given or it is
    /// <see cref="Off"/> (the log is off; a folder of that name is <c>./off</c>).
    /// <c>--prediction-log=DIR</c> / <see cref="ServingEnvironmentVariables.PredictionLog"/>, and its _CAPACITY, _MAX_ROWS, _KEEP_DAYS
    /// (0 keeps all), _MAX_BYTES, _ROTATE_MINUTES and _SAMPLE (each also a <c>--prediction-log-…</c> switch).
    /// </summary>
    public static PredictionLogOptions? Parse(Func<string, string, string?> value)
    {
        if (value("prediction-log", ServingEnvironmentVariables.PredictionLog) is not { Length: > 0 } directory
            || directory.Equals(Off, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var options = new PredictionLogOptions(directory);
        if (value("prediction-log-capacity", ServingEnvironmentVariables.PredictionLogCapacity) is { } capacity)
        {
            options = options with { Capacity = (int)Whole(capacity, "prediction-log-capacity", 1, 10_000_000) };
        }

        if (value("prediction-log-max-rows", ServingEnvironmentVariables.PredictionLogMaxRows) is { } rows)
        {
            options = options with { MaxQueuedRows = (int)Whole(rows, "prediction-log-max-rows", 1, 100_000_000) };
        }

        if (value("prediction-log-keep-days", ServingEnvironmentVariables.PredictionLogKeepDays) is { } days)
        {
            var keep = Whole(days, "prediction-log-keep-days", 0, 36_500);
            options = options with { KeepFor = keep == 0 ? null : TimeSpan.FromDays(keep) };
        }

        if (value("prediction-log-max-bytes", ServingEnvironmentVariables.PredictionLogMaxBytes) is { } bytes)
        {
            options = options with { MaxFileBytes = Whole(bytes, "prediction-log-max-bytes", 1024, long.MaxValue) };
        }

        if (value("prediction-log-rotate-minutes", ServingEnvironmentVariables.PredictionLogRotateMinutes) is { } minutes)
        {
            options = options with { RotateEvery = TimeSpan.FromMinutes(Whole(minutes, "prediction-log-rotate-minutes", 1, 7 * 24 * 60)) };
        }

        if (value("prediction-log-sample", ServingEnvironmentVariables.PredictionLogSample) is { } sample)
        {
            options = options with
            {
                SampleRate = double.TryParse(sample, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
                    && rate is >= 0 and <= 1
                    ? rate
                    : throw new ArgumentException(
                        $"--prediction-log-sample={sample}: expected a number from 0 to 1 (the share of requests logged)."),
            };
        }

        return options;
    }

    private static long Whole(string text, string name, long minimum, long maximum) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new ArgumentException($"--{name}={text}: expected a whole number from {minimum} to {maximum}.");
}
