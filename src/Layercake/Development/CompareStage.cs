using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Comparison;
using Layercake.Development.Experiments.Store;
using Layercake.Shared.Errors;

namespace Layercake.Development;

/// <summary>
/// The Compare task: two recorded runs (ids, or <c>last</c> and <c>last~N</c> of the pipeline) side by side, and the
/// compare report with the primary metric over the pipeline's runs.
/// </summary>
public sealed class CompareStage(RunStore store)
{
    /// <param name="includeErrors">Whether <c>last</c> and <c>last~N</c> count runs that ended in an error (by default they skip
    /// them).</param>
    /// <param name="showUnchanged">Whether the metric tables show the unchanged rows too (by default only what changed).</param>
    public async Task<(RunComparison Comparison, string Report)> RunAsync(
        string? runs, string pipeline, string reportFolder, CancellationToken cancellationToken, bool includeErrors = false,
            bool showUnchanged = false)
    {
        var names = (runs ?? "last~1,last").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length != 2)
        {
            throw new InvalidSettingException(SettingNames.Runs, runs ?? "",
                "expected two runs separated by a comma, such as last~1,last or <id>,<id>.");
        }

        var old = await store.ResolveAsync(names[0], pipeline, cancellationToken, includeErrors).ConfigureAwait(false);
        var @new = await store.ResolveAsync(names[1], pipeline, cancellationToken, includeErrors).ConfigureAwait(false);
        var comparison = RunComparer.Compare(old, @new) with { ShowUnchanged = showUnchanged };
        var history = await store.ListAsync(@new.Pipeline, null, null, cancellationToken).ConfigureAwait(false);
        var report = await CompareReportWriter.WriteAsync(comparison, history, reportFolder, cancellationToken).ConfigureAwait(false);
        return (comparison, report);
    }
}
