using Layercake.Development.Experiments;

namespace Layercake.Development;

/// <summary>The Runs task: recorded runs newest first, of one pipeline and one outcome when asked.</summary>
public sealed class RunsStage(RunStore store)
{
    public async Task<RunListing> RunAsync(string? pipeline, string? outcome, int limit, string format, CancellationToken cancellationToken)
    {
        if (outcome is not null && !RunOutcomes.All.Contains(outcome))
        {
            throw new ArgumentException($"--outcome={outcome} is not an outcome; expected one of: {string.Join(", ", RunOutcomes.All)}.");
        }

        if (!RunListing.Formats.Contains(format))
        {
            throw new ArgumentException($"--format={format} is not a format; expected one of: {string.Join(", ", RunListing.Formats)}.");
        }

        if (limit < 1)
        {
            throw new ArgumentException($"--limit={limit}: expected a positive number of runs.");
        }

        return new RunListing(await store.ListAsync(pipeline, outcome, limit, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes the listing as JSON or CSV to a file, atomically.</summary>
    public static Task ExportAsync(RunListing listing, string format, string path, CancellationToken cancellationToken) =>
        Shared.IO.AtomicFile.WriteAllTextAsync(path, listing.Render(format), cancellationToken);
}
