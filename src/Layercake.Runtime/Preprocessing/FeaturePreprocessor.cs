using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing.Categories;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// Applies a <see cref="PreprocessingSpec"/> to raw values: column by column (<see cref="RawColumns"/>, what the server
/// reads a request into), or to rows as dictionaries, whose values may be null (missing), numbers, or strings as read
/// from CSV (numbers in strings are parsed with the invariant culture).
/// </summary>
public sealed class FeaturePreprocessor(PreprocessingSpec spec)
{
    public PreprocessingSpec Spec { get; } = spec;

    /// <summary>The columns <see cref="Transform(IReadOnlyList{IReadOnlyDictionary{string, object?}})"/> reads rows into.</summary>
    public RawColumnLayout Layout { get; } = RawColumnLayout.For(spec);

    /// <summary>The kept levels of each top-K categorical, looked up once per value rather than searched.</summary>
    private readonly Dictionary<string, HashSet<string>> _levels = spec.Features
        .Where(f => f.Encoding is { Method: CategoryEncodingMethod.TopK, Levels: not null })
        .ToDictionary(f => f.Column, f => new HashSet<string>(f.Encoding!.Levels!, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>The columns derived features read, the only cleaned values kept as doubles beside their tensors.</summary>
    private readonly HashSet<string> _derivedInputs = new(spec.Derived.SelectMany(d => d.Inputs), StringComparer.Ordinal);

    /// <summary>How many numeric and text tensors a batch has, so its dictionaries are allocated once at their size.</summary>
    private readonly (int Numbers, int Strings) _tensorCounts = (
        spec.Features.Sum(f => f.Kind switch { FeatureKind.Numeric => 1, FeatureKind.Date => f.Date?.Outputs.Count ?? 0, _ => 0 })
            + spec.Derived.Count,
        spec.Features.Count(f => f.Kind is FeatureKind.Categorical or FeatureKind.Text));

    public PreparedBatch Transform(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows) =>
        Transform(RawColumns.FromRows(Layout, rows));

    /// <summary>Cleans the columns into the model's tensors; the columns are found by name in their own layout.</summary>
    public PreparedBatch Transform(RawColumns columns)
    {
        var n = columns.RowCount;
        var numbers = new Dictionary<string, float[]>(_tensorCounts.Numbers, StringComparer.Ordinal);
        var strings = new Dictionary<string, string[]>(_tensorCounts.Strings, StringComparer.Ordinal);
        var cleaned = Spec.Derived.Count == 0 ? null : new Dictionary<string,
            double[]>(_derivedInputs.Count + Spec.Derived.Count, StringComparer.Ordinal);

        foreach (var feature in Spec.Features)
        {
            if (feature.Kind == FeatureKind.Ignore)
            {
                continue;
            }

            var column = columns.Layout.IndexOf(feature.Column);
            if (column < 0)
            {
                throw new FeatureValueException(0, feature.Column, null, feature.Kind == FeatureKind.Numeric ? "a number" : "a value");
            }

            switch (feature.Kind)
            {
                case FeatureKind.Numeric:
                    numbers[feature.Tensor] = CleanNumbers(columns, column, feature, cleaned);
                    break;
                case FeatureKind.Categorical:
                case FeatureKind.Text:
                    strings[feature.Tensor] = CleanTexts(columns, column, feature);
                    break;
                case FeatureKind.Date:
                    AddDateParts(columns.Texts(column), feature, numbers);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown feature kind {feature.Kind}.");
            }
        }

        foreach (var derived in Spec.Derived)
        {
            AddDerived(derived, n, cleaned!, numbers);
        }

        return new PreparedBatch(n, numbers, strings);
    }

    /// <summary>A numeric column with its fill; kept as doubles too when a derived feature reads it.</summary>
    private float[] CleanNumbers(RawColumns columns, int column, RawFeature feature, Dictionary<string, double[]>? cleaned)
    {
        var n = columns.RowCount;
        var raw = columns.Numbers(column);
        var tensor = new float[n];
        var values = cleaned is not null && _derivedInputs.Contains(feature.Column) ? new double[n] : null;
        for (var i = 0; i < n; i++)
        {
            var value = double.IsNaN(raw[i]) ? feature.NumericFill ?? throw new FeatureValueException(i, feature.Column, null, "a number")
                : raw[i];
            tensor[i] = (float)value;
            values?[i] = value;
        }

        if (values is not null)
        {
            cleaned![feature.Column] = values;
        }

        return tensor;
    }

    private string[] CleanTexts(RawColumns columns, int column, RawFeature feature)
    {
        var n = columns.RowCount;
        var texts = new string[n];
        var given = columns.Texts(column);
        for (var i = 0; i < n; i++)
        {
            texts[i] =
                Bound(feature, string.IsNullOrEmpty(given[i]) ? feature.CategoricalFill ?? PreprocessingSpec.MissingCategory : given[i]!);
        }

        return texts;
    }

    private static void AddDerived(DerivedFeature derived, int n, Dictionary<string, double[]> cleaned, Dictionary<string, float[]> numbers)
    {
        var inputs = new double[derived.Inputs.Count][];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = cleaned[derived.Inputs[i]];
        }

        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            var value = Compute(derived.Operation, inputs, i);
            result[i] = double.IsFinite(value) ? value : derived.Fill;
        }

        cleaned[derived.Name] = result;
        numbers[derived.Tensor] = Array.ConvertAll(result, v => (float)v);
    }

    /// <summary>Computes a derived value without the fill, so training can learn the fill from finite results.</summary>
    public static double Compute(DerivedOperation operation, IReadOnlyList<double[]> inputs, int row) => operation switch
    {
        DerivedOperation.Ratio => inputs[0][row] / inputs[1][row],
        DerivedOperation.Product => inputs[0][row] * inputs[1][row],
        DerivedOperation.Difference => inputs[0][row] - inputs[1][row],
        DerivedOperation.Sum => Sum(inputs, row),
        DerivedOperation.Log => inputs[0][row] > 0 ? Math.Log(inputs[0][row]) : double.NaN,
        _ => throw new InvalidOperationException($"Unknown derived operation {operation}."),
    };

    /// <summary>
    /// The inputs' sum in order, as <c>Enumerable.Sum</c> adds them; a lambda over <c>row</c> here was an allocation per row
    /// of every derived feature, whatever its operation (the closure is made on entering <see cref="Compute"/>).
    /// </summary>
    private static double Sum(IReadOnlyList<double[]> inputs, int row)
    {
        var sum = 0d;
        for (var i = 0; i < inputs.Count; i++)
        {
            sum += inputs[i][row];
        }

        return sum;
    }

    /// <summary>A bounded categorical's value as the model sees it: a kept level, the other bucket, or a hash bucket.</summary>
    private string Bound(RawFeature feature, string value) => feature.Encoding switch
    {
        { Method: CategoryEncodingMethod.TopK } => _levels[feature.Column].Contains(value) ? value : CategoryEncoding.Other,
        { Method: CategoryEncodingMethod.Hash, Buckets: { } buckets } => CategoryEncoding.Bucket(value, buckets),
        _ => value,
    };

    private static void AddDateParts(ReadOnlySpan<string?> texts, RawFeature feature, Dictionary<string, float[]> numbers)
    {
        var date = feature.Date ?? throw new InvalidOperationException($"Date column '{feature.Column}' has no date encoding.");
        var outputs = new float[date.Outputs.Count][];
        for (var o = 0; o < outputs.Length; o++)
        {
            outputs[o] = new float[texts.Length];
        }

        for (var i = 0; i < texts.Length; i++)
        {
            var text = texts[i];
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
}
