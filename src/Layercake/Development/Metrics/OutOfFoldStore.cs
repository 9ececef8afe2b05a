using System.Globalization;
using System.Text;
using Layercake.Development.Data;
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

    public static async Task WriteAsync(string trainFolder, string candidate, TrainingData data, IReadOnlyList<FoldPredictions> folds, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("row,fold,actual,predicted");
        var classifier = data.Labels is not null;
        if (classifier)
        {
            foreach (var c in data.Classes) text.Append(",p_").Append(Quote(c));
        }

        text.Append('\n');
        foreach (var fold in folds.OrderBy(f => f.Fold))
        {
            for (var i = 0; i < fold.Rows.Length; i++)
            {
                var row = fold.Rows[i];
                text.Append(row).Append(',').Append(fold.Fold).Append(',');
                if (classifier)
                {
                    text.Append(Quote(data.Labels![row])).Append(',').Append(Quote(data.Classes[fold.PredictedClass![i]]));
                    foreach (var p in fold.Probabilities![i]) text.Append(',').Append(p.ToString("R", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(data.Targets![row].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(fold.Values![i].ToString("R", CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }
        }

        Directory.CreateDirectory(Path.Combine(trainFolder, Folder));
        await AtomicFile.WriteAllTextAsync(PathOf(trainFolder, candidate), text.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>(actual, predicted) of a regression candidate, for the predicted-against-actual and residual plots.</summary>
    public static async Task<(double[] Actual, double[] Predicted)> ReadValuesAsync(string trainFolder, string candidate, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(PathOf(trainFolder, candidate), cancellationToken).ConfigureAwait(false);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        return (rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToArray(), rows.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>A classifier's out-of-fold rows: actual and predicted class indices, fold, and every class's probability.</summary>
    public static async Task<(int[] Actual, int[] Predicted, int[] Fold, double[][] Probabilities)> ReadClassesAsync(string trainFolder, string candidate, IReadOnlyList<string> classes, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(PathOf(trainFolder, candidate), cancellationToken).ConfigureAwait(false);
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        // The probability columns are found by name, so the result is in the caller's class order whatever the file's.
        var header = Fields(lines[0]);
        var columns = classes.Select(c => header.IndexOf("p_" + c)).ToArray();
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(Fields).ToArray();
        return (rows.Select(r => index[r[2]]).ToArray(), rows.Select(r => index[r[3]]).ToArray(),
            rows.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(r => columns.Select(c => double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray()).ToArray());
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
