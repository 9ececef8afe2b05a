using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;

namespace Layercake.Shared.Lineage;

/// <summary>Reads and writes stage records, and says whether a stage is up to date and why not.</summary>
public static class StageCache
{
    public const string FileName = "lineage.json";

    public static async Task<string?> WhyStaleAsync(
        string stageDirectory, IReadOnlyDictionary<string, string> inputs, IEnumerable<string> expectedOutputs,
            CancellationToken cancellationToken)
    {
        var path = Path.Combine(stageDirectory, FileName);
        if (!File.Exists(path))
        {
            return "it has not run before";
        }

        StageRecord record;
        try
        {
            record = await PackageJson.ReadAsync<StageRecord>(path, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return "its lineage record is unreadable";
        }

        foreach (var (name, hash) in inputs)
        {
            if (!record.Inputs.TryGetValue(name, out var previous))
            {
                return $"input '{name}' is new";
            }

            if (previous != hash)
            {
                return $"input '{name}' changed";
            }
        }

        foreach (var name in record.Inputs.Keys.Where(k => !inputs.ContainsKey(k)))
        {
            return $"input '{name}' is gone";
        }

        foreach (var name in expectedOutputs.Where(o => !record.Outputs.ContainsKey(o)))
        {
            return $"output '{name}' is not recorded (the stage now writes more)";
        }

        foreach (var (name, hash) in record.Outputs)
        {
            var file = Path.Combine(stageDirectory, name);
            if (!File.Exists(file))
            {
                return $"output '{name}' is missing";
            }

            if (await Sha256.OfFileAsync(file, cancellationToken).ConfigureAwait(false) != hash)
            {
                return $"output '{name}' was modified";
            }
        }

        return null;
    }

    /// <summary>Hashes the named outputs in <paramref name="directory"/> and writes the record there.</summary>
    public static async Task<StageRecord> WriteAsync(
        string directory, string stage, IReadOnlyDictionary<string, string> inputs, IEnumerable<string> outputs, TimeProvider time,
            CancellationToken cancellationToken)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in outputs)
        {
            hashes[name] = await Sha256.OfFileAsync(Path.Combine(directory, name), cancellationToken).ConfigureAwait(false);
        }

        var record =
            new StageRecord(stage, new SortedDictionary<string, string>(inputs.ToDictionary(), StringComparer.Ordinal), hashes,
            time.GetUtcNow());
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, FileName), PackageJson.Serialize(record), cancellationToken)
            .ConfigureAwait(false);
        return record;
    }
}
