using System.Globalization;
using Layercake.Batch.Chunks;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;

namespace Layercake.Batch.Scoring;

/// <summary>
/// Scores one chunk with the server's own code: values checked as the server checks a request's (numbers finite within
/// float32, an empty cell missing), the package's <see cref="FeaturePreprocessor"/>, then the shared ONNX Runtime
/// session. Where the server refuses a whole request for one bad value, a batch sets that row aside with its reason.
/// </summary>
internal sealed class ChunkScorer(ScoringModel model, IReadOnlyList<int> inputColumns)
{
    /// <param name="inputColumns">For each of the model's inputs, the index of its column in the chunk.</param>
    public ScoredChunk Score(InputChunk chunk)
    {
        var rejects = new List<ScoreReject>();
        var rejected = new bool[chunk.Count];
        var numbers = ReadNumbers(chunk, rejected, rejects);
        var rows = Enumerable.Range(0, chunk.Count).Where(r => !rejected[r]).ToArray();
        PreparedBatch? batch = null;
        while (rows.Length > 0 && batch is null)
        {
            try
            {
                batch = model.Preprocessor.Transform(Columns(chunk, numbers, rows));
            }
            catch (FeatureValueException ex)
            {
                // The preprocessing names the first row it cannot take (a date that does not parse, a number it cannot
                // fill); that row is set aside and the rest are prepared again. Rare, so the repeat costs little.
                var row = rows[ex.Row];
                rejects.Add(Reject(chunk, row, ex.Column, ex.Value, $"expected {ex.Expected}"));
                rows = [.. rows.Where(r => r != row)];
            }
        }

        if (batch is null)
        {
            return new ScoredChunk(chunk, [], new ScoredBatch(0, null, null, null), Sorted(rejects));
        }

        var scored = model.Scorer.Score(batch);
        return DropNonFinite(chunk, rows, scored, rejects);
    }

    /// <summary>Numeric inputs as numbers; a value that is not a finite float32 number rejects its row.</summary>
    private double[]?[] ReadNumbers(InputChunk chunk, bool[] rejected, List<ScoreReject> rejects)
    {
        var numbers = new double[]?[inputColumns.Count];
        for (var i = 0; i < inputColumns.Count; i++)
        {
            if (!model.Layout.Numeric[i])
            {
                continue;
            }

            var column = chunk.Columns[inputColumns[i]]!;
            var values = column.Numbers is { } typed ? typed : new double[chunk.Count];
            for (var r = 0; r < chunk.Count; r++)
            {
                if (column.Numbers is null)
                {
                    var text = column.Texts![r];
                    values[r] = string.IsNullOrEmpty(text) ? double.NaN
                        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
                            : double.PositiveInfinity;
                }

                var value = values[r];
                if (!double.IsNaN(value) && !(double.IsFinite(value) && Math.Abs(value) <= float.MaxValue) && !rejected[r])
                {
                    rejected[r] = true;
                    var text = column.Numbers is null ? column.Texts![r] : value.ToString(CultureInfo.InvariantCulture);
                    var parses = column.Numbers is not null || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture,
                        out _);
                    rejects.Add(Reject(chunk, r, model.Layout.Names[i], text, parses ? "expected a finite float32 number"
                        : "expected a number"));
                }
            }

            numbers[i] = values;
        }

        return numbers;
    }

    private RawColumns Columns(InputChunk chunk, double[]?[] numbers, int[] rows)
    {
        var columns = new RawColumns(model.Layout, rows.Length);
        for (var i = 0; i < inputColumns.Count; i++)
        {
            if (numbers[i] is { } values)
            {
                for (var k = 0; k < rows.Length; k++)
                {
                    var value = values[rows[k]];
                    columns.SetNumber(k, i, double.IsNaN(value) ? null : value);
                }

                continue;
            }

            var column = chunk.Columns[inputColumns[i]]!;
            for (var k = 0; k < rows.Length; k++)
            {
                columns.SetText(k, i, column.Text(rows[k]));
            }
        }

        return columns;
    }

    /// <summary>Valid float32 inputs far outside the training range can overflow a linear model: such rows are set aside.</summary>
    private static ScoredChunk DropNonFinite(InputChunk chunk, int[] rows, ScoredBatch scored, List<ScoreReject> rejects)
    {
        var first = 0;
        while (first < scored.RowCount && Finite(scored, first))
        {
            first++;
        }

        if (first == scored.RowCount)
        {
            return new ScoredChunk(chunk, rows, scored, Sorted(rejects));
        }

        var finite = Enumerable.Range(0, scored.RowCount).Where(i => Finite(scored, i)).ToArray();

        foreach (var i in Enumerable.Range(0, scored.RowCount).Except(finite))
        {
            rejects.Add(Reject(chunk, rows[i], null, null,
                "the model's output is not a finite number; are the inputs far outside the training data's range?"));
        }

        var kept = new ScoredBatch(
            finite.Length,
            scored.Labels is { } labels ? finite.Select(i => labels[i]).ToArray() : null,
            scored.Probabilities is { } probabilities ? finite.Select(i => probabilities[i]).ToArray() : null,
            scored.Values is { } values ? finite.Select(i => values[i]).ToArray() : null);
        return new ScoredChunk(chunk, [.. finite.Select(i => rows[i])], kept, Sorted(rejects));
    }

    private static bool Finite(ScoredBatch scored, int i)
    {
        if (scored.Values is { } values && !float.IsFinite(values[i]))
        {
            return false;
        }

        if (scored.Probabilities is { } probabilities)
        {
            foreach (var p in probabilities[i])
            {
                if (!float.IsFinite(p))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ScoreReject Reject(InputChunk chunk, int row, string? column, string? value, string reason) =>
        new(chunk.FirstRow + row + 1, chunk.Lines?[row], column, value, reason);

    private static IReadOnlyList<ScoreReject> Sorted(List<ScoreReject> rejects) => rejects.Count < 2 ? rejects : [.. rejects.OrderBy(r
        => r.Row)];
}
