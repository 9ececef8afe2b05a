using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Layercake.Serving.PredictionLog;

/// <summary>
/// The prediction log's line format, written with <see cref="Utf8JsonWriter"/> (no reflection, so NativeAOT-safe).
/// One line per row scored:
/// <c>{"time":…,"request_id":…,"row":0,"model":…,"version":…,"inputs":{column:value,…},"outputs":{"label":…,"probabilities":{class:p,…}}}</c>
/// (regression: <c>"outputs":{"value":…}</c>); one line per rejected request:
/// <c>{"time":…,"request_id":…,"model":…,"version":…,"status":400,"error":…}</c>.
/// Layercake.Monitoring.PredictionLogReader reads this format; change both together.
/// </summary>
public static class PredictionLogLine
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void Write(IBufferWriter<byte> output, PredictionLogEntry entry, string model, string version, IReadOnlyList<string> classes)
    {
        using var w = new Utf8JsonWriter(output, Options);
        var time = entry.Time.UtcDateTime;
        if (entry.Scored is not { } scored || entry.Rows is not { } rows)
        {
            w.WriteStartObject();
            w.WriteString("time", time);
            w.WriteString("request_id", entry.RequestId);
            w.WriteString("model", model);
            w.WriteString("version", version);
            w.WriteNumber("status", entry.Status);
            w.WriteString("error", entry.Error);
            w.WriteEndObject();
            w.Flush();
            output.Write("\n"u8);
            return;
        }

        for (var i = 0; i < scored.RowCount; i++)
        {
            w.Reset(output);
            w.WriteStartObject();
            w.WriteString("time", time);
            w.WriteString("request_id", entry.RequestId);
            w.WriteNumber("row", i);
            w.WriteString("model", model);
            w.WriteString("version", version);
            w.WriteStartObject("inputs");
            foreach (var (column, value) in rows[i])
            {
                switch (value)
                {
                    case null: w.WriteNull(column); break;
                    case double number: w.WriteNumber(column, number); break;
                    case string text: w.WriteString(column, text); break;
                    default: w.WriteString(column, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                }
            }

            w.WriteEndObject();
            w.WriteStartObject("outputs");
            if (scored.Values is { } values)
            {
                w.WriteNumber("value", values[i]);
            }

            if (scored.Labels is { } labels)
            {
                w.WriteString("label", labels[i]);
            }

            if (scored.Probabilities is { } probabilities)
            {
                w.WriteStartObject("probabilities");
                for (var c = 0; c < classes.Count && c < probabilities[i].Length; c++)
                {
                    w.WriteNumber(classes[c], probabilities[i][c]);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.Flush();
            output.Write("\n"u8);
        }
    }
}
