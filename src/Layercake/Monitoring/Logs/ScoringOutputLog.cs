using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Layercake.Runtime.PredictionLog;

namespace Layercake.Monitoring.Logs;

/// <summary>
/// A file Score wrote, read as the server's prediction log: each scored row becomes the log line the server would have
/// written for it (its inputs, its prediction, the model and version), so Monitor checks a night's batch for drift as it
/// checks live traffic. A file is a scoring output when its lineage sidecar (<c>&lt;file&gt;.lineage.json</c>) is beside it;
/// a row's time is its own <c>time</c> column when it kept one, else when the job scored.
/// </summary>
internal static class ScoringOutputLog
{
    private const string Probability = "probability_";
    private static readonly HashSet<string> OutputNames = new(StringComparer.Ordinal) { "prediction", "model", "model_version" };

    public static string LineagePathFor(string file) => file + ".lineage.json";

    public static bool Is(string file) => File.Exists(LineagePathFor(file));

    /// <summary>The file's rows as prediction log lines, written by a background task as they are read.</summary>
    /// <param name="numericColumns">Inputs written as JSON numbers (Monitor reads numbers only from numbers); others are text.</param>
    public static Stream Open(string file, IReadOnlySet<string> numericColumns, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        _ = Task.Run(async () =>
        {
            try
            {
                await WriteAsync(file, numericColumns, pipe.Writer, cancellationToken).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
            }
        }, cancellationToken);
        return pipe.Reader.AsStream();
    }

    private static async Task WriteAsync(string file, IReadOnlySet<string> numeric, PipeWriter output, CancellationToken cancellationToken)
    {
        using var lineage = JsonDocument.Parse(await File.ReadAllBytesAsync(LineagePathFor(file), cancellationToken).ConfigureAwait(false));
        var scoredAt = lineage.RootElement.TryGetProperty("started_at", out var at) ? at.GetDateTimeOffset()
            : throw new InvalidDataException($"{LineagePathFor(file)} has no started_at: it is not a scoring lineage.");
        var runId = lineage.RootElement.TryGetProperty("run_id", out var id) ? id.GetString() : null;
        string[]? header = null;
        var row = 0;
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        await foreach (var values in ScoringOutputRows.ReadAsync(file, cancellationToken).ConfigureAwait(false))
        {
            if (header is null)
            {
                header = [.. values.Select(v => (string)v!)];
                Check(file, header);
                continue;
            }

            WriteLine(json, header, values, numeric, scoredAt, runId, row++);
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            output.Write("\n"u8);
            json.Reset(output);
            if (row % 1024 == 0)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void Check(string file, string[] header)
    {
        if (!header.Contains("prediction") || !header.Contains("model_version") || !header.Contains("model"))
        {
            throw new InvalidDataException(
                $"{file} has a lineage sidecar but no prediction, model and model_version columns: it is not a file Score wrote.");
        }
    }

    private static void WriteLine(Utf8JsonWriter json, string[] header, object?[] values, IReadOnlySet<string> numeric,
        DateTimeOffset scoredAt, string? runId, int row)
    {
        object? Of(string name) => Array.IndexOf(header, name) is >= 0 and var at ? values[at] : null;
        json.WriteStartObject();
        json.WriteString(PredictionLogFields.Time, Of("time") is string t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var time) ? time : scoredAt);
        json.WriteString(PredictionLogFields.RequestId, $"{runId}-{row}");
        json.WriteNumber(PredictionLogFields.Row, 0);
        json.WriteString(PredictionLogFields.Model, Of("model") as string);
        json.WriteString(PredictionLogFields.Version, Of("model_version") as string);
        json.WriteStartObject(PredictionLogFields.Inputs);
        for (var c = 0; c < header.Length; c++)
        {
            if (!OutputNames.Contains(header[c]) && !header[c].StartsWith(Probability, StringComparison.Ordinal))
            {
                WriteInput(json, header[c], values[c], numeric.Contains(header[c]));
            }
        }

        json.WriteEndObject();
        json.WriteStartObject(PredictionLogFields.Outputs);
        var probabilities = header.Select((name, c) => (name, c))
            .Where(p => p.name.StartsWith(Probability, StringComparison.Ordinal)).ToArray();
        if (probabilities.Length == 0)
        {
            WriteNumber(json, "value", Of("prediction"));
        }
        else
        {
            var label = Of("prediction") is { } text ? Convert.ToString(text, CultureInfo.InvariantCulture) : null;
            json.WriteString(PredictionLogFields.Label, label);
            json.WriteStartObject(PredictionLogFields.Probabilities);
            foreach (var (name, c) in probabilities)
            {
                WriteNumber(json, name[Probability.Length..], values[c]);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInput(Utf8JsonWriter json, string name, object? value, bool numeric)
    {
        if (numeric)
        {
            WriteNumber(json, name, value);
        }
        else
        {
            json.WriteString(name, value switch
            {
                null => null,
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                var other => Convert.ToString(other, CultureInfo.InvariantCulture),
            });
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, object? value)
    {
        if (value is double d || (value is string s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)))
        {
            if (double.IsFinite(d))
            {
                json.WriteNumber(name, d);
                return;
            }
        }

        json.WriteNull(name);
    }
}
