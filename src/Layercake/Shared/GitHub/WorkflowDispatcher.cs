using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Shared.GitHub;

/// <summary>Starts a workflow through its <c>workflow_dispatch</c> trigger, e.g. retraining after a drift breach.</summary>
internal sealed class WorkflowDispatcher
{
    private readonly IGitHubClient _client;
    private readonly GitHubOptions _options;
    private readonly ILogger _logger;
    private readonly GitHubCalls _calls;

    public WorkflowDispatcher(IGitHubClient client, GitHubOptions options, ILogger logger, TimeProvider time,
        GitHubRetryPolicy? retryPolicy = null)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _calls = new GitHubCalls(options, logger, time, retryPolicy ?? GitHubRetryPolicy.Default);
    }

    /// <param name="workflowFile">The workflow's file name, e.g. <c>retrain.yml</c>.</param>
    /// <param name="gitRef">The branch or tag whose version of the workflow runs.</param>
    /// <remarks>
    /// A dispatch returns no run to look up afterwards, so a retry could not tell whether a failed attempt had
    /// started a run. Only rate-limit answers, which GitHub sends without acting, are retried; a 5xx or a lost
    /// answer fails rather than risk starting the workflow twice.
    /// </remarks>
    public async Task DispatchAsync(string workflowFile, string gitRef, IReadOnlyDictionary<string, string> inputs,
        CancellationToken cancellationToken)
    {
        var dispatch = new CreateWorkflowDispatch(gitRef) { Inputs = inputs.ToDictionary(i => i.Key, i => (object)i.Value) };
        await _calls.RunAsync($"dispatch workflow {workflowFile} on {gitRef}", GitHubPermission.ActionsWrite,
            (_, _) => _client.Actions.Workflows.CreateDispatch(_options.Owner, _options.Name, workflowFile, dispatch), cancellationToken,
                retryAmbiguous: false).ConfigureAwait(false);
        _logger.LogInformation("Dispatched {Workflow} on {Ref} in {Repository} with {Inputs}", workflowFile, gitRef, _options.Repository,
            string.Join(", ", inputs.Select(i => $"{i.Key}={i.Value}")));
    }
}
