using System.Text;
using System.Text.Json;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Monitoring.Logs.Internal;

/// <summary>
/// Parses one prediction log line into a <see cref="LogRow"/>. Not thread-safe (its string caches): the reader
/// gives each parallel parse its own.
/// </summary>
internal sealed class LogLineParser
{
    private readonly byte[][] _numericNames;
    private readonly byte[][] _categoricalNames;
    private readonly byte[][] _classNames;
    private readonly bool _readRequestIds;
    private readonly Utf8StringCache _models = new();
    private readonly Utf8StringCache _versions = new();
    private readonly Utf8StringCache _labels = new();
    private readonly Utf8StringCache _reasons = new();
    private readonly Utf8StringCache[] _categories;

    private readonly (byte[] Name, DateInput Input)[] _dates;

    /// <param name="classNames">The classes whose probabilities to read (after the numeric inputs in <see cref="LogRow.Numbers"/>); empty
    /// to skip them.</param>
    /// <param name="dates">Date inputs whose raw strings fill their parts' numeric slots.</param>
    public LogLineParser(byte[][] numericNames, byte[][] categoricalNames, bool readRequestIds, byte[][]? classNames = null,
        IReadOnlyList<DateInput>? dates = null)
    {
        _dates = (dates ?? []).Select(d => (Encoding.UTF8.GetBytes(d.Column), d)).ToArray();
        _numericNames = numericNames;
        _categoricalNames = categoricalNames;
        _classNames = classNames ?? [];
        _readRequestIds = readRequestIds;
        _categories = categoricalNames.Select(_ => new Utf8StringCache()).ToArray();
    }

    /// <summary>Fills <paramref name="row"/> from the line; returns null, or what is wrong with the line.</summary>
    public string? TryParse(ReadOnlySpan<byte> line, LogRow row)
    {
        row.Reset();
        try
        {
            return Parse(line, row);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return ex.Message;
        }
    }

    private string? Parse(ReadOnlySpan<byte> line, LogRow row)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "not a JSON object";
        }

        var hasTime = false;
        // The time, inputs and outputs, which every scored line has, are matched first; the rest by ReadField.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(PredictionLogFields.Time))
            {
                reader.Read();
                row.Time = Utf8Numbers.GetTime(ref reader);
                hasTime = true;
            }
            else if (reader.ValueTextEquals(PredictionLogFields.Inputs))
            {
                reader.Read();
                ReadInputs(ref reader, row);
            }
            else if (reader.ValueTextEquals(PredictionLogFields.Outputs))
            {
                reader.Read();
                if (ReadOutputs(ref reader, row) && hasTime)
                {
                    // The server writes outputs last and the label (or value) first in them: unless performance is
                    // estimated, the probabilities after it are not needed, and skipping them saves a quarter of the
                    // line's tokens. A line cut short would not end in '}', so that much is still checked.
                    return line.TrimEnd(" \r\t"u8) is [.., (byte)'}'] ? null : "the JSON object is not complete";
                }
            }
            else
            {
                ReadField(ref reader, row);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed < line.TrimEnd("\r "u8).Length)
        {
            return "the JSON object is not complete";
        }

        return hasTime ? null : "no 'time'";
    }

    /// <summary>A property other than the time, inputs and outputs: who answered, and why a request was refused.</summary>
    private void ReadField(ref Utf8JsonReader reader, LogRow row)
    {
        if (reader.ValueTextEquals(PredictionLogFields.RequestId))
        {
            reader.Read();
            row.RequestId = _readRequestIds && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        else if (reader.ValueTextEquals(PredictionLogFields.Row))
        {
            reader.Read();
            row.Row = reader.GetInt32();
        }
        else if (reader.ValueTextEquals(PredictionLogFields.Model))
        {
            reader.Read();
            row.Model = _models.Get(ref reader);
        }
        else if (reader.ValueTextEquals(PredictionLogFields.Version))
        {
            reader.Read();
            row.Version = _versions.Get(ref reader);
        }
        else if (reader.ValueTextEquals(PredictionLogFields.Status))
        {
            reader.Read();
            row.Status = reader.GetInt32();
            row.Rejected = true;
        }
        else if (reader.ValueTextEquals(PredictionLogFields.Reason))
        {
            reader.Read();
            row.Reason = reader.TokenType == JsonTokenType.String ? _reasons.Get(ref reader) : null;
        }
        else if (reader.ValueTextEquals(PredictionLogFields.RejectedRows))
        {
            reader.Read();
            row.RejectedRows = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var rows) ? rows : 0;
        }
        else
        {
            reader.Read();
            reader.Skip();
        }
    }

    private void ReadInputs(ref Utf8JsonReader reader, LogRow row)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        // The server writes the columns in the same order every time, so the next column is usually the next name.
        var numericGuess = 0;
        var categoricalGuess = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_dates.Length > 0 && ReadDate(ref reader, row))
            {
                continue;
            }

            var numeric = NameSearch.Find(ref reader, _numericNames, ref numericGuess);
            var categorical = numeric < 0 ? NameSearch.Find(ref reader, _categoricalNames, ref categoricalGuess) : -1;
            reader.Read();
            if (numeric >= 0 && reader.TokenType == JsonTokenType.Number)
            {
                row.Numbers[numeric] = Utf8Numbers.GetDouble(ref reader);
            }
            else if (categorical >= 0 && reader.TokenType == JsonTokenType.String)
            {
                row.Categories[categorical] = _categories[categorical].Get(ref reader);
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
    }

    /// <summary>
    /// When the property is a date input, reads its value and fills its parts' slots (left missing when the value is
    /// not a date in the model's form); true when it was one.
    /// </summary>
    private bool ReadDate(ref Utf8JsonReader reader, LogRow row)
    {
        foreach (var (name, input) in _dates)
        {
            if (!reader.ValueTextEquals(name))
            {
                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.String && DateParser.TryParse(reader.GetString()!, input.Format, out var clock))
            {
                foreach (var (slot, part) in input.Parts)
                {
                    row.Numbers[slot] = part.ValueOf(clock);
                }
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// Reads outputs up to the label or value; true when it stopped there, with the rest of the line unread. With
    /// classes to read, it goes on through the probabilities and returns false at the end of the outputs.
    /// </summary>
    private bool ReadOutputs(ref Utf8JsonReader reader, LogRow row)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(PredictionLogFields.Label))
            {
                reader.Read();
                row.PredictedLabel = reader.TokenType == JsonTokenType.String ? _labels.Get(ref reader) : null;
                if (_classNames.Length == 0)
                {
                    return row.PredictedLabel is not null;
                }

                continue;
            }

            if (_classNames.Length > 0 && reader.ValueTextEquals(PredictionLogFields.Probabilities))
            {
                reader.Read();
                ReadProbabilities(ref reader, row);
                continue;
            }

            if (reader.ValueTextEquals(PredictionLogFields.Value))
            {
                reader.Read();
                row.PredictedValue = reader.TokenType == JsonTokenType.Number ? Utf8Numbers.GetDouble(ref reader) : double.NaN;
                return !double.IsNaN(row.PredictedValue);
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    private void ReadProbabilities(ref Utf8JsonReader reader, LogRow row)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        var guess = 0;
        var offset = _numericNames.Length;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var c = NameSearch.Find(ref reader, _classNames, ref guess);
            reader.Read();
            if (c >= 0 && reader.TokenType == JsonTokenType.Number)
            {
                row.Numbers[offset + c] = Utf8Numbers.GetDouble(ref reader);
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
    }
}
