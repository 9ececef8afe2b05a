using Layercake.Batch.Chunks;
using Layercake.Batch.Reading;
using Layercake.Batch.Scoring;
using Layercake.Batch.Tables;
using Layercake.Batch.Writing;
using Layercake.Deployment.History;
using Layercake.Registry;

namespace Layercake.Batch;

/// <summary>What a job refuses before it scores a row: an output it cannot write, an unknown version, a missing feature.</summary>
internal static class ScoreChecks
{
    public static void CheckOutput(ScoreRequest request)
    {
        var output = Path.GetFullPath(request.Output);
        if (request.Table is { } table)
        {
            // The table's name goes into SQL, so it must be a plain identifier; its rejects and lineage go beside Output.
            TableName.Parse(table.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            return;
        }

        if (!ScoreWriters.Supports(output))
        {
            throw new ArgumentException(
                $"The output {output} is not a format Score writes; expected a name ending {string.Join(", ", ScoreWriters.Extensions)}.");
        }

        var folder = Path.GetDirectoryName(output)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(
                $"The output's folder {folder} does not exist; create it first (a typo here would otherwise scatter outputs).");
        }

        if (request.Query is null && SameFile(request.Input, output))
        {
            throw new ArgumentException(
                $"The input and the output are the same file, {output}; scores are written to a new file, never over their input.");
        }

        if (Directory.Exists(output))
        {
            throw new ArgumentException($"The output {output} is a folder; expected a file name.");
        }
    }

    /// <summary>
    /// The version asked for; else the one live in the environment; else the latest. An unknown one lists those there are.
    /// With <paramref name="releases"/> (the GitHub registry), a version not registered here, and the latest, are released ones.
    /// </summary>
    public static async Task<RegisteredVersion> ResolveAsync(ScoreRequest request, LocalModelRegistry registry,
        IDeploymentHistory history, ReleasedVersions? releases, CancellationToken cancellationToken)
    {
        var version = request.Version;
        if (version is null && request.Environment is { } environment)
        {
            var live = await LiveDeployment.FindAsync(history, request.Model, environment, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException(
                    $"No version of {request.Model} is live in {environment}; name a version to score with instead.");
            version = live.Version;
        }

        if (releases is null || (version is not null && (await registry.ListAsync(request.Model, cancellationToken)
            .ConfigureAwait(false)).Any(v => v.Version.ToString() == version)))
        {
            return await registry.SelectAsync(request.Model, version, cancellationToken).ConfigureAwait(false);
        }

        var wanted = version is null ? (SemanticVersion?)null : SemanticVersion.Parse(version, "the version to score with");
        return await releases.SelectAsync(request.Model, wanted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The output's columns; every feature the model takes and every kept column must be in the input.</summary>
    public static OutputColumns Columns(ScoreRequest request, IChunkReader reader, ScoringModel model, string input)
    {
        var header = reader.Header;
        var missing = model.Layout.Names.Where(n => !header.Contains(n)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"{input} has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}, " +
                $"which {model.Name} {model.VersionText} takes as a feature; " +
                $"its columns are: {string.Join(", ", header)}.");
        }

        var keep = request.Keep ?? header;
        var unknown = keep.Where(k => !header.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException(
                $"{input} has no column {string.Join(", ", unknown.Select(u => $"'{u}'"))} to keep; it has: {string.Join(", ", header)}.");
        }

        var kept = keep.Distinct(StringComparer.Ordinal).Select(k => (k, IndexOf(header, k), reader.Numeric[IndexOf(header, k)])).ToArray();
        var columns = new OutputColumns(kept, model.Signature, model.Name, model.VersionText);
        var clash = kept.Select(k => k.Item1).Intersect(columns.Names.Skip(kept.Length), StringComparer.Ordinal).ToArray();
        return clash.Length == 0 ? columns
            : throw new ArgumentException(
                $"{input}'s column {string.Join(", ", clash.Select(c => $"'{c}'"))} is named like an output column; keep the others only.");
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool SameFile(string a, string b)
    {
        var (left, right) = (Path.GetFullPath(a), Path.GetFullPath(b));
        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return true;
        }

        // Through a symbolic link the same file has another name.
        return File.Exists(left) && File.Exists(right)
            && string.Equals(new FileInfo(left).ResolveLinkTarget(true)?.FullName ?? left,
                new FileInfo(right).ResolveLinkTarget(true)?.FullName ?? right, StringComparison.Ordinal);
    }
}
