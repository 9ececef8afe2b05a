using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;

namespace Layercake.Serving.PredictionLog;

/// <summary>
/// Writes prediction log lines with <see cref="Utf8JsonWriter"/> (no reflection, so NativeAOT-safe), with the names
/// and order of <see cref="PredictionLogFields"/>, which Layercake.Monitoring's reader reads by.
/// </summary>
internal static class PredictionLogLine
{
    private static readonly JsonWriterOptions Options =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void Write(IBufferWriter<byte> output, PredictionLogEntry entry, string model, string version,
        IReadOnlyList<string> classes)
    {
        using var w = new Utf8JsonWriter(output, Options);
        var time = entry.Time.UtcDateTime;
        if (entry.Scored is not { } scored || entry.Rows is not { } rows)
        {
            WriteRejected(w, output, entry, time, model, version);
            return;
        }

        for (var i = 0; i < scored.RowCount; i++)
        {
            w.Reset(output);
            w.WriteStartObject();
            w.WriteString(PredictionLogFields.Time, time);
            w.WriteString(PredictionLogFields.RequestId, entry.RequestId);
            w.WriteNumber(PredictionLogFields.Row, i);
            w.WriteString(PredictionLogFields.Model, model);
            w.WriteString(PredictionLogFields.Version, version);
            WriteInputs(w, rows, i);
            WriteOutputs(w, scored, i, classes);
            w.WriteEndObject();
            w.Flush();
            output.Write("\n"u8);
        }
    }

    /// <summary>A request the server turned away: one line with the status and the reason, no inputs or outputs.</summary>
    private static void WriteRejected(
        Utf8JsonWriter w, IBufferWriter<byte> output, PredictionLogEntry entry, DateTime time, string model, string version)
    {
        w.WriteStartObject();
        w.WriteString(PredictionLogFields.Time, time);
        w.WriteString(PredictionLogFields.RequestId, entry.RequestId);
        w.WriteString(PredictionLogFields.Model, model);
        w.WriteString(PredictionLogFields.Version, version);
        w.WriteNumber(PredictionLogFields.Status, entry.Status);
        w.WriteString(PredictionLogFields.Error, entry.Error);
        w.WriteString(PredictionLogFields.Reason, entry.Reason);
        w.WriteNumber(PredictionLogFields.RejectedRows, entry.RejectedRows);
        w.WriteEndObject();
        w.Flush();
        output.Write("\n"u8);
    }

    // Once per logged row, so inlined back into the row loop as the single method was.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteInputs(Utf8JsonWriter w, RawColumns rows, int i)
    {
        w.WriteStartObject(PredictionLogFields.Inputs);
        for (var c = 0; c < rows.Layout.Count; c++)
        {
            var name = rows.Layout.EncodedNames[c];
            if (rows.Layout.Numeric[c])
            {
                var number = rows.Numbers(c)[i];
                if (double.IsNaN(number))
                {
                    w.WriteNull(name);
                }
                else
                {
                    w.WriteNumber(name, number);
                }
            }
            else if (rows.Texts(c)[i] is { } text)
            {
                w.WriteString(name, text);
            }
            else
            {
                w.WriteNull(name);
            }
        }

        w.WriteEndObject();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteOutputs(Utf8JsonWriter w, ScoredBatch scored, int i, IReadOnlyList<string> classes)
    {
        w.WriteStartObject(PredictionLogFields.Outputs);
        if (scored.Values is { } values)
        {
            w.WriteNumber(PredictionLogFields.Value, values[i]);
        }

        if (scored.Labels is { } labels)
        {
            w.WriteString(PredictionLogFields.Label, labels[i]);
        }

        if (scored.Probabilities is { } probabilities)
        {
            w.WriteStartObject(PredictionLogFields.Probabilities);
            for (var c = 0; c < classes.Count && c < probabilities[i].Length; c++)
            {
                w.WriteNumber(classes[c], probabilities[i][c]);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
