using System.Globalization;
using Layercake.Registry;
using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;
using Octokit;
using DeploymentState = Layercake.Deployment.History.DeploymentState;
using GitHubDeploymentState = Octokit.DeploymentState;

namespace Layercake.Deployment.History;

/// <summary>
/// Deployment history on GitHub's Deployments API. One deployment per (model, environment, version) with the
/// release tag as its <c>ref</c>, <c>task = deploy:&lt;model&gt;</c> so several models can share a repository and an
/// environment, and the version, image, target and kind in its payload. Its latest status is its state.
/// </summary>
/// <remarks>
/// Earlier deployments are marked inactive by this class, not by GitHub's <c>auto_inactive</c>: GitHub applies that
/// to every earlier deployment of the environment whatever its task (so deploying one model would retire another's)
/// and never to production environments, where it matters most.
/// </remarks>
public sealed class GitHubDeploymentHistory : IDeploymentHistory
{
    private const string ReplacedBy = "Replaced by ";

    public const string TaskPrefix = "deploy:";

    // GitHub rejects a status description longer than 140 characters.
    private const int MaxDescription = 140;

    private readonly IGitHubClient _client;
    private readonly GitHubOptions _options;
    private readonly ILogger _logger;
    private readonly GitHubCalls _calls;
    private readonly ApiConnection _api;

    public GitHubDeploymentHistory(IGitHubClient client, GitHubOptions options, ILogger logger, TimeProvider time,
        GitHubRetryPolicy? retryPolicy = null)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _calls = new GitHubCalls(options, logger, time, retryPolicy ?? GitHubRetryPolicy.Default);
        _api = new ApiConnection(client.Connection);
    }

    public static string TaskFor(string model) => TaskPrefix + model;

    public async Task<DeploymentRecord> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        var tag = ReleaseTag.For(request.Model, SemanticVersion.Parse(request.Version, "version"));
        // Lets a retry find the deployment an earlier attempt created before its answer was lost.
        var requestId = Guid.NewGuid().ToString("N");
        var payload = new Dictionary<string, string>
        {
            ["model"] = request.Model,
            ["version"] = request.Version,
            ["image_id"] = request.ImageId,
            ["target"] = request.Target,
            ["kind"] = request.Kind,
            ["request_id"] = requestId,
        };
        var deployment =
            await _calls.RunAsync($"create a deployment of {tag} to {request.Environment}", GitHubPermission.DeploymentsWrite,
            async (attempt, _) =>
        {
            if (attempt > 1 && (await ListDeploymentsAsync(request.Model, request.Environment).ConfigureAwait(false))
                    .FirstOrDefault(d => Payload(d, "request_id") == requestId) is { } made)
            {
                return made;
            }

            var created = new NewDeployment(tag)
            {
                Task = TaskFor(request.Model),
                Environment = request.Environment,
                Description = Truncate(request.Description),
                AutoMerge = false,
                RequiredContexts = [],
                Payload = payload,
            };
            return await _client.Repository.Deployment.Create(_options.Owner, _options.Name, created).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var status =
            await CreateStatusAsync(deployment.Id, request.Environment, GitHubDeploymentState.InProgress, request.Description,
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("GitHub deployment {Id}: {Tag} to {Environment} in {Repository}, in progress", deployment.Id, tag,
            request.Environment, _options.Repository);
        return Record(deployment, status);
    }

    public async Task<DeploymentRecord> CompleteAsync(DeploymentRecord deployment, DeploymentState state, string description,
        CancellationToken cancellationToken)
    {
        var id = long.Parse(deployment.Id, NumberStyles.None, CultureInfo.InvariantCulture);
        var status = await CreateStatusAsync(id, deployment.Environment, ToGitHub(state), description, cancellationToken)
            .ConfigureAwait(false);
        if (state == DeploymentState.Success)
        {
            foreach (var earlier in await ListAsync(deployment.Model, deployment.Environment, cancellationToken).ConfigureAwait(false))
            {
                if (earlier.Id != deployment.Id && earlier.State == DeploymentState.Success)
                {
                    var earlierId = long.Parse(earlier.Id, NumberStyles.None, CultureInfo.InvariantCulture);
                    await CreateStatusAsync(earlierId, earlier.Environment, GitHubDeploymentState.Inactive,
                        $"{ReplacedBy}{deployment.Version} (deployment {deployment.Id})", cancellationToken).ConfigureAwait(false);
                    _logger.LogInformation("GitHub deployment {Id} ({Model} {Version} in {Environment}) is now inactive", earlier.Id,
                        earlier.Model, earlier.Version, earlier.Environment);
                }
            }
        }

        _logger.LogInformation("GitHub deployment {Id}: {Model} {Version} to {Environment} is {State}", deployment.Id, deployment.Model,
            deployment.Version, deployment.Environment, state);
        return deployment with { State = state, Description = status.Description ?? description, UpdatedAt = status.CreatedAt };
    }

    public async Task<DeploymentRecord> ProgressAsync(DeploymentRecord deployment, string description,
        CancellationToken cancellationToken)
    {
        var id = long.Parse(deployment.Id, NumberStyles.None, CultureInfo.InvariantCulture);
        var status = await CreateStatusAsync(id, deployment.Environment, GitHubDeploymentState.InProgress, description, cancellationToken)
            .ConfigureAwait(false);
        return deployment with { Description = status.Description ?? description, UpdatedAt = status.CreatedAt };
    }

    public async Task<IReadOnlyList<DeploymentRecord>> ListAsync(string model, string environment, CancellationToken cancellationToken)
    {
        var deployments = await _calls.RunAsync($"list the deployments of {model} to {environment}", GitHubPermission.DeploymentsRead,
            (_, _) => ListDeploymentsAsync(model, environment), cancellationToken).ConfigureAwait(false);
        var records = new List<DeploymentRecord>();
        foreach (var deployment in deployments)
        {
            // An inactive status we did not write is GitHub Actions' own: a job bound to an environment makes a deployment
            // of its own whose success retires every earlier one there. Ours say what replaced them; skip the others.
            var latest =
                await _calls.RunAsync($"read the status of deployment {deployment.Id}", GitHubPermission.DeploymentsRead, async (_, _) =>
                (await _client.Repository.Deployment.Status.GetAll(_options.Owner, _options.Name, deployment.Id,
                    new ApiOptions { PageSize = 10, PageCount = 1, StartPage = 1 }).ConfigureAwait(false))
                    .FirstOrDefault(s => s.State.Value != Octokit.DeploymentState.Inactive
                        || s.Description?.StartsWith(ReplacedBy, StringComparison.Ordinal) == true),
                cancellationToken).ConfigureAwait(false);
            records.Add(Record(deployment, latest));
        }

        // GitHub lists newest first; ids break ties between deployments created in the same second.
        return records.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => long.Parse(r.Id, CultureInfo.InvariantCulture)).ToArray();
    }

    private async Task<IReadOnlyList<Octokit.Deployment>> ListDeploymentsAsync(string model, string environment) =>
        await _api.GetAll<Octokit.Deployment>(
            new Uri($"repos/{_options.Owner}/{_options.Name}/deployments", UriKind.Relative),
            new Dictionary<string, string> { ["environment"] = environment, ["task"] = TaskFor(model) }).ConfigureAwait(false);

    private Task<Octokit.DeploymentStatus> CreateStatusAsync(long id, string environment, GitHubDeploymentState state, string description,
        CancellationToken cancellationToken) =>
        // A status repeated by a retry is harmless: the latest one is the state.
        _calls.RunAsync($"set deployment {id} to {state}", GitHubPermission.DeploymentsWrite, (_, _) =>
            _client.Repository.Deployment.Status.Create(_options.Owner, _options.Name, id, new NewDeploymentStatus(state)
            {
                Description = Truncate(description),
                Environment = environment,
                AutoInactive = false,
            }), cancellationToken);

    private static DeploymentRecord Record(Octokit.Deployment deployment, Octokit.DeploymentStatus? latest) => new(
        deployment.Id.ToString(CultureInfo.InvariantCulture),
        Payload(deployment, "model") ?? deployment.Task?.Replace(TaskPrefix, "", StringComparison.Ordinal) ?? "",
        deployment.Environment,
        Payload(deployment, "version") ?? "",
        Payload(deployment, "image_id") ?? "",
        Payload(deployment, "target") ?? "",
        Payload(deployment, "kind") ?? "",
        latest is null ? DeploymentState.InProgress : FromGitHub(latest.State.Value),
        latest?.Description ?? deployment.Description ?? "",
        deployment.CreatedAt,
        latest?.CreatedAt ?? deployment.UpdatedAt);

    private static string? Payload(Octokit.Deployment deployment, string key) =>
        deployment.Payload is { } payload && payload.TryGetValue(key, out var value) ? value?.ToString() : null;

    private static GitHubDeploymentState ToGitHub(DeploymentState state) => state switch
    {
        DeploymentState.InProgress => GitHubDeploymentState.InProgress,
        DeploymentState.Success => GitHubDeploymentState.Success,
        DeploymentState.Failure => GitHubDeploymentState.Failure,
        DeploymentState.Inactive => GitHubDeploymentState.Inactive,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    private static DeploymentState FromGitHub(GitHubDeploymentState state) => state switch
    {
        GitHubDeploymentState.Success => DeploymentState.Success,
        GitHubDeploymentState.Failure or GitHubDeploymentState.Error => DeploymentState.Failure,
        GitHubDeploymentState.Inactive => DeploymentState.Inactive,
        _ => DeploymentState.InProgress,
    };

    private static string Truncate(string text) => text.Length <= MaxDescription ? text : text[..(MaxDescription - 1)] + "…";
}
