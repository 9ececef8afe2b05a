using System.Buffers;
using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Data.Tables;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Profiles;
using Layercake.Runtime.Scoring;
using Layercake.Serving.PredictionLog;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>
/// Production traffic made from the penguins data, written in the server's own log format (PredictionLogLine), and
/// reference profiles made the way Prepare makes them (DataProfiler) from any subset of the rows.
/// </summary>
public static class PenguinTraffic
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<Task<TypedTable>> Table = new(async () => (await Specs.PreparePenguinsAsync()).Typed);

    public static Task<TypedTable> TableAsync() => Table.Value;

    public static async Task<ModelManifest> ManifestAsync() => (await TestPackages.PenguinsAsync()).Manifest;

    public static DataProfile Profile(TypedTable table, IEnumerable<int> rows) => DataProfiler.Profile(table.Subset(rows.ToArray()), "sha", 42);

    /// <summary>One logged prediction: when, which request, the inputs as sent, and the predicted class.</summary>
    public sealed record Prediction(DateTimeOffset Time, string RequestId, IReadOnlyDictionary<string, object?> Inputs, string Label, int Row = 0);

    /// <summary>The rows as predictions one minute apart, each its own request, predicted as their true species.</summary>
    public static IEnumerable<Prediction> AsTraffic(TypedTable table, IEnumerable<int> rows, DateTimeOffset? start = null, Func<int, IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>>? change = null) =>
        rows.Select((row, i) => new Prediction((start ?? Start).AddMinutes(i), $"r{i}", change is null ? table.RawRow(row) : change(row, table.RawRow(row)), table.Labels![row]));

    /// <summary>Writes predictions as one log file in <paramref name="directory"/>, named like the server names them.</summary>
    public static string WriteLog(string directory, IEnumerable<Prediction> predictions, string version = "1.0.0", string suffix = "test0001")
    {
        var list = predictions.ToList();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, PredictionLogFileName.For(list.Count > 0 ? list[0].Time : Start, suffix));
        var buffer = new ArrayBufferWriter<byte>();
        string[] classes = ["Adelie", "Chinstrap", "Gentoo"];
        foreach (var p in list)
        {
            var probabilities = classes.Select(c => c == p.Label ? 1f : 0f).ToArray();
            var rows = Enumerable.Repeat(p.Inputs, p.Row + 1).ToArray();
            var labels = Enumerable.Repeat(p.Label, p.Row + 1).ToArray();
            var scored = new ScoredBatch(p.Row + 1, labels, Enumerable.Repeat(probabilities, p.Row + 1).ToArray(), null);
            var start = buffer.WrittenCount;
            PredictionLogLine.Write(buffer, new PredictionLogEntry(p.RequestId, p.Time, LoggedRows.From(rows), scored), "penguins", version, classes);
            if (p.Row > 0)
            {
                // Keep only the last line: row N of a batch, as the server logs it.
                var written = buffer.WrittenSpan[start..].ToArray();
                var lines = System.Text.Encoding.UTF8.GetString(written).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var copy = buffer.WrittenSpan[..start].ToArray();
                buffer.Clear();
                buffer.Write(copy);
                buffer.Write(System.Text.Encoding.UTF8.GetBytes(lines[^1] + "\n"));
            }
        }

        File.WriteAllBytes(path, buffer.WrittenSpan.ToArray());
        return path;
    }

    /// <summary>Every row index of the table, shuffled with a seed.</summary>
    public static int[] Shuffled(int count, int seed)
    {
        var rows = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(rows);
        return rows;
    }
}
