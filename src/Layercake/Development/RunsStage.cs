using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Shared.Errors;

namespace Layercake.Development;

/// <summary>The Runs task: recorded runs newest first, of one pipeline and one outcome when asked.</summary>
public sealed class RunsStage(RunStore store)
{
    public async Task<RunListing> RunAsync(string? pipeline, string? outcome, int limit, string format, CancellationToken cancellationToken)
    {
        if (outcome is not null && !RunOutcomes.All.Contains(outcome))
        {
            throw new InvalidSettingException(SettingNames.Outcome, outcome,
                $"not an outcome; expected one of: {string.Join(", ", RunOutcomes.All)}.");
        }

        if (!RunListing.Formats.Contains(format))
        {
            throw new InvalidSettingException(SettingNames.Format, format,
                $"not a format; expected one of: {string.Join(", ", RunListing.Formats)}.");
        }

        if (limit < 1)
        {
            throw new InvalidSettingException(SettingNames.Limit, limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "expected a positive number of runs.");
        }

        return new RunListing(await store.ListAsync(pipeline, outcome, limit, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes the listing as JSON or CSV to a file, atomically.</summary>
    public static Task ExportAsync(RunListing listing, string format, string path, CancellationToken cancellationToken) =>
        Shared.IO.AtomicFile.WriteAllTextAsync(path, listing.Render(format), cancellationToken);
}
