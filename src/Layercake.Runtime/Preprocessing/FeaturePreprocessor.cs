using System.Globalization;
using System.Text.Json;
using Layercake.Runtime.Manifest;

namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// Applies a <see cref="PreprocessingSpec"/> to raw rows. Values may be null (missing), numbers,
/// or strings as read from CSV; numbers in strings are parsed with the invariant culture.
/// </summary>
public sealed class FeaturePreprocessor(PreprocessingSpec spec)
{
    public PreprocessingSpec Spec { get; } = spec;

    /// <summary>The kept levels of each top-K categorical, looked up once per value rather than searched.</summary>
    private readonly Dictionary<string, HashSet<string>> _levels = spec.Features
        .Where(f => f.Encoding is { Method: CategoryEncodingMethod.TopK, Levels: not null })
        .ToDictionary(f => f.Column, f => new HashSet<string>(f.Encoding!.Levels!, StringComparer.Ordinal), StringComparer.Ordinal);

    public PreparedBatch Transform(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        var numbers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var strings = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var cleaned = new Dictionary<string, double[]>(StringComparer.Ordinal);

        foreach (var feature in Spec.Features)
        {
            switch (feature.Kind)
            {
                case FeatureKind.Numeric:
                    var values = new double[rows.Count];
                    for (var i = 0; i < rows.Count; i++)
                    {
                        values[i] = ReadNumber(rows[i], feature, i);
                    }

                    cleaned[feature.Column] = values;
                    numbers[feature.Tensor] = Array.ConvertAll(values, v => (float)v);
                    break;
                case FeatureKind.Categorical:
                case FeatureKind.Text:
                    var texts = new string[rows.Count];
                    for (var i = 0; i < rows.Count; i++)
                    {
                        texts[i] = Bound(feature, ReadString(rows[i], feature));
                    }

                    strings[feature.Tensor] = texts;
                    break;
                case FeatureKind.Date:
                    AddDateParts(rows, feature, numbers);
                    break;
                case FeatureKind.Ignore:
                    break;
                default:
                    throw new InvalidOperationException($"Unknown feature kind {feature.Kind}.");
            }
        }

        foreach (var derived in Spec.Derived)
        {
            var inputs = derived.Inputs.Select(name => cleaned[name]).ToArray();
            var result = new double[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                var value = Compute(derived.Operation, inputs, i);
                result[i] = double.IsFinite(value) ? value : derived.Fill;
            }

            cleaned[derived.Name] = result;
            numbers[derived.Tensor] = Array.ConvertAll(result, v => (float)v);
        }

        return new PreparedBatch(rows.Count, numbers, strings);
    }

    /// <summary>Computes a derived value without the fill, so training can learn the fill from finite results.</summary>
    public static double Compute(DerivedOperation operation, IReadOnlyList<double[]> inputs, int row) => operation switch
    {
        DerivedOperation.Ratio => inputs[0][row] / inputs[1][row],
        DerivedOperation.Product => inputs[0][row] * inputs[1][row],
        DerivedOperation.Difference => inputs[0][row] - inputs[1][row],
        DerivedOperation.Sum => inputs.Sum(column => column[row]),
        DerivedOperation.Log => inputs[0][row] > 0 ? Math.Log(inputs[0][row]) : double.NaN,
        _ => throw new InvalidOperationException($"Unknown derived operation {operation}."),
    };

    private static double ReadNumber(IReadOnlyDictionary<string, object?> row, RawFeature feature, int index)
    {
        row.TryGetValue(feature.Column, out var raw);
        raw = Unwrap(raw);
        double value;
        switch (raw)
        {
            case null:
            case string s when s.Length == 0:
                return feature.NumericFill ?? throw new FeatureValueException(index, feature.Column, null, "a number");
            case string s:
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    throw new FeatureValueException(index, feature.Column, s, "a number");
                }

                break;
            case double d:
                value = d;
                break;
            case float f:
                value = f;
                break;
            case int n:
                value = n;
                break;
            case long n:
                value = n;
                break;
            case decimal m:
                value = (double)m;
                break;
            default:
                throw new FeatureValueException(index, feature.Column, Convert.ToString(raw, CultureInfo.InvariantCulture), "a number");
        }

        if (!double.IsFinite(value) || !float.IsFinite((float)value))
        {
            throw new FeatureValueException(index, feature.Column, value.ToString("R", CultureInfo.InvariantCulture), "a finite number within float32 range");
        }

        return value;
    }

    /// <summary>A bounded categorical's value as the model sees it: a kept level, the other bucket, or a hash bucket.</summary>
    private string Bound(RawFeature feature, string value) => feature.Encoding switch
    {
        { Method: CategoryEncodingMethod.TopK } => _levels[feature.Column].Contains(value) ? value : CategoryEncoding.Other,
        { Method: CategoryEncodingMethod.Hash, Buckets: { } buckets } => CategoryEncoding.Bucket(value, buckets),
        _ => value,
    };

    private static void AddDateParts(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, RawFeature feature, Dictionary<string, float[]> numbers)
    {
        var date = feature.Date ?? throw new InvalidOperationException($"Date column '{feature.Column}' has no date encoding.");
        var outputs = date.Outputs.Select(_ => new float[rows.Count]).ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].TryGetValue(feature.Column, out var raw);
            var text = Unwrap(raw) switch
            {
                null => null,
                string s => s,
                var other => throw new FeatureValueException(i, feature.Column, Convert.ToString(other, CultureInfo.InvariantCulture), DateParser.Expected(date.Format)),
            };
            if (string.IsNullOrEmpty(text))
            {
                for (var o = 0; o < outputs.Length; o++)
                {
                    outputs[o][i] = (float)date.Outputs[o].Fill;
                }

                continue;
            }

            if (!DateParser.TryParse(text, date.Format, out var clock))
            {
                throw new FeatureValueException(i, feature.Column, text, DateParser.Expected(date.Format));
            }

            for (var o = 0; o < outputs.Length; o++)
            {
                outputs[o][i] = (float)date.Outputs[o].ValueOf(clock);
            }
        }

        for (var o = 0; o < outputs.Length; o++)
        {
            numbers[date.Outputs[o].Tensor] = outputs[o];
        }
    }

    /// <summary>Values read from JSON arrive as elements; they mean what their JSON kind says.</summary>
    private static object? Unwrap(object? raw) => raw is JsonElement element
        ? element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.String => element.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => element.GetRawText(),
        }
        : raw;

    private static string ReadString(IReadOnlyDictionary<string, object?> row, RawFeature feature)
    {
        row.TryGetValue(feature.Column, out var raw);
        var text = Unwrap(raw) switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        return string.IsNullOrEmpty(text) ? feature.CategoricalFill ?? PreprocessingSpec.MissingCategory : text;
    }
}
