using System.Globalization;
using System.Text;
using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Shared.IO;

namespace Layercake.Development.Metrics;

/// <summary>
/// The out-of-fold predictions as one CSV per candidate under <c>train/oof/</c>: row (in the prepared table),
/// fold, actual, predicted, and for classifiers each class's probability. Kept with the Train artifacts (not in
/// the package, which must not carry training rows), so every figure of the report can be recomputed.
/// </summary>
internal static class OutOfFoldStore
{
    public const string Folder = "oof";

    public static Task WriteAsync(string trainFolder, string candidate, TrainingData data, IReadOnlyList<FoldPredictions> folds,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(trainFolder, Folder));
        // Streamed: at millions of rows the whole text would be hundreds of megabytes held twice (builder and string).
        return AtomicFile.WriteAsync(PathOf(trainFolder, candidate), async (stream, token) =>
        {
            await using var text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            text.Write("row,fold,actual,predicted");
            var classifier = data.Labels is not null;
            if (classifier)
            {
                foreach (var c in data.Classes) text.Write($",p_{Quote(c)}");
            }

            text.Write('\n');
            foreach (var fold in folds.OrderBy(f => f.Fold))
            {
                token.ThrowIfCancellationRequested();
                for (var i = 0; i < fold.Rows.Length; i++)
                {
                    var row = fold.Rows[i];
                    text.Write(row.ToString(CultureInfo.InvariantCulture));
                    text.Write(',');
                    text.Write(fold.Fold.ToString(CultureInfo.InvariantCulture));
                    text.Write(',');
                    if (classifier)
                    {
                        text.Write(Quote(data.Labels![row]));
                        text.Write(',');
                        text.Write(Quote(data.Classes[fold.PredictedClass![i]]));
                        foreach (var p in fold.Probabilities![i])
                        {
                            text.Write(',');
                            text.Write(p.ToString("R", CultureInfo.InvariantCulture));
                        }
                    }
                    else
                    {
                        text.Write(data.Targets![row].ToString("R", CultureInfo.InvariantCulture));
                        text.Write(',');
                        text.Write(fold.Values![i].ToString("R", CultureInfo.InvariantCulture));
                    }

                    text.Write('\n');
                }
            }

            await text.FlushAsync(token).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>(actual, predicted) of a regression candidate, for the predicted-against-actual and residual plots.</summary>
    public static async Task<(double[] Actual, double[] Predicted)> ReadValuesAsync(string trainFolder, string candidate,
        CancellationToken cancellationToken)
    {
        // Line by line: a regression's rows are row,fold,actual,predicted with no quoting, and millions of them.
        var actual = new List<double>();
        var predicted = new List<double>();
        var parts = new Range[5];
        using var reader = new StreamReader(PathOf(trainFolder, candidate));
        await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.AsSpan();
            fields.Split(parts, ',');
            actual.Add(double.Parse(fields[parts[2]], CultureInfo.InvariantCulture));
            predicted.Add(double.Parse(fields[parts[3]], CultureInfo.InvariantCulture));
        }

        return ([.. actual], [.. predicted]);
    }

    /// <summary>A classifier's out-of-fold rows: actual and predicted class indices, fold, and every class's probability.</summary>
    public static async Task<(int[] Actual, int[] Predicted, int[] Fold, double[][] Probabilities)> ReadClassesAsync(string trainFolder,
        string candidate, IReadOnlyList<string> classes, CancellationToken cancellationToken)
    {
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        using var reader = new StreamReader(PathOf(trainFolder, candidate));
        // The probability columns are found by name, so the result is in the caller's class order whatever the file's.
        var header = Fields(await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "");
        var columns = classes.Select(c => header.IndexOf("p_" + c)).ToArray();
        var (actual, predicted, fold, probabilities) = (new List<int>(), new List<int>(), new List<int>(), new List<double[]>());
        // Line by line, so millions of rows are never held as text.
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var r = Fields(line);
            actual.Add(index[r[2]]);
            predicted.Add(index[r[3]]);
            fold.Add(int.Parse(r[1], CultureInfo.InvariantCulture));
            probabilities.Add(columns.Select(c => double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray());
        }

        return ([.. actual], [.. predicted], [.. fold], [.. probabilities]);
    }

    public static string PathOf(string trainFolder, string candidate) => Path.Combine(trainFolder, Folder, candidate + ".csv");

    /// <summary>Splits a line written by <see cref="WriteAsync"/>, whose quoting is <see cref="Quote"/>'s.</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(ch);
        }

        fields.Add(field.ToString());
        return fields;
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
