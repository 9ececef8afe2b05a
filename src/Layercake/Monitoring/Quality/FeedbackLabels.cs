using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Layercake.Monitoring.Quality;

/// <summary>
/// The true outcomes, when they become known: a CSV with the header <c>request_id,label</c>. A request of one row is
/// named by its request id; row N of a batch by <c>&lt;request_id&gt;#&lt;N&gt;</c> ('#' never occurs in a request id).
/// Held in memory: feedback is far smaller than the log.
/// </summary>
internal sealed class FeedbackLabels
{
    private readonly Dictionary<(string RequestId, int Row), string> _labels;

    private FeedbackLabels(Dictionary<(string, int), string> labels) => _labels = labels;

    public int Count => _labels.Count;

    public bool TryGet(string requestId, int row, out string label) => _labels.TryGetValue((requestId, row), out label!);

    public static FeedbackLabels FromPairs(IEnumerable<(string RequestId, string Label)> pairs)
    {
        var labels = new Dictionary<(string, int), string>();
        foreach (var (id, label) in pairs)
        {
            labels[Key(id)] = label;
        }

        return new FeedbackLabels(labels);
    }

    public static async Task<FeedbackLabels> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Feedback file not found: {path}", path);
        }

        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = true });
        if (!await csv.ReadAsync().ConfigureAwait(false) || !csv.ReadHeader() || csv.HeaderRecord is not { } header
            || !header.Contains("request_id") || !header.Contains("label"))
        {
            throw new InvalidDataException($"{path}:1: expected the header request_id,label");
        }

        var labels = new Dictionary<(string, int), string>();
        while (await csv.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = csv.Parser.RawRow;
            var id = csv.GetField("request_id");
            var label = csv.GetField("label");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(label))
            {
                throw new InvalidDataException($"{path}:{line}: request_id and label must both be given");
            }

            var key = Key(id);
            if (key.Item2 < 0)
            {
                throw new InvalidDataException($"{path}:{line}: '{id}': the row after '#' must be a whole number from 0");
            }

            labels[key] = label;
        }

        return new FeedbackLabels(labels);
    }

    private static (string, int) Key(string id)
    {
        var hash = id.LastIndexOf('#');
        if (hash < 0)
        {
            return (id, 0);
        }

        return int.TryParse(id.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? (id[..hash], row)
            : (id, -1);
    }
}
