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
    public async Task<(RunComparison Comparison, string Report)> RunAsync(string? runs, string pipeline, string reportFolder, CancellationToken cancellationToken)
    {
        var names = (runs ?? "last~1,last").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length != 2)
        {
            throw new InvalidSettingException(SettingNames.Runs, runs ?? "", "expected two runs separated by a comma, such as last~1,last or <id>,<id>.");
        }

        var old = await store.ResolveAsync(names[0], pipeline, cancellationToken).ConfigureAwait(false);
        var @new = await store.ResolveAsync(names[1], pipeline, cancellationToken).ConfigureAwait(false);
        var comparison = RunComparer.Compare(old, @new);
        var history = await store.ListAsync(@new.Pipeline, null, null, cancellationToken).ConfigureAwait(false);
        var report = await CompareReportWriter.WriteAsync(comparison, history, reportFolder, cancellationToken).ConfigureAwait(false);
        return (comparison, report);
    }
}
