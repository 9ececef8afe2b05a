using Layercake.Shared.IO;

namespace Layercake.Deployment.History;

/// <summary>
/// The local registry's deployment history: <c>&lt;models&gt;/&lt;model&gt;/deployments/&lt;environment&gt;.json</c>,
/// every deployment of the environment, oldest first. Each change rewrites the file under the model's
/// registry lock and lands by rename, so concurrent runs do not lose records and a crash leaves the last one.
/// </summary>
public sealed class LocalDeploymentHistory(string registryRoot, TimeProvider time) : IDeploymentHistory
{
    /// <summary>A history write takes milliseconds; a holder past this has hung.</summary>
    private static readonly TimeSpan WriteLockTimeout = TimeSpan.FromMinutes(2);

    public string Root { get; } = Path.GetFullPath(registryRoot);

    public string FileFor(string model, string environment) => Path.Combine(Root, model, "deployments", $"{environment}.json");

    public async Task<DeploymentRecord> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        DeploymentRecord? started = null;
        await ChangeAsync(request.Model, request.Environment, records =>
        {
            var id = records.Count == 0 ? 1 : records.Max(r => int.Parse(r.Id, System.Globalization.CultureInfo.InvariantCulture)) + 1;
            var now = time.GetUtcNow();
            started =
                new DeploymentRecord(id.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Model, request.Environment,
                request.Version,
                request.ImageId, request.Target, request.Kind, DeploymentState.InProgress, request.Description, now, now);
            records.Add(started);
        }, cancellationToken).ConfigureAwait(false);
        return started!;
    }

    public async Task<DeploymentRecord> CompleteAsync(DeploymentRecord deployment, DeploymentState state, string description,
        CancellationToken cancellationToken)
    {
        DeploymentRecord? completed = null;
        await ChangeAsync(deployment.Model, deployment.Environment, records =>
        {
            var now = time.GetUtcNow();
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].Id == deployment.Id)
                {
                    completed = records[i] with { State = state, Description = description, UpdatedAt = now };
                    records[i] = completed;
                }
                else if (state == DeploymentState.Success && records[i].State == DeploymentState.Success)
                {
                    records[i] = records[i] with { State = DeploymentState.Inactive, UpdatedAt = now };
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return completed
            ?? throw new InvalidOperationException(
            $"Deployment {deployment.Id} is not in {FileFor(deployment.Model, deployment.Environment)}.");
    }

    public async Task<DeploymentRecord> ProgressAsync(DeploymentRecord deployment, string description,
        CancellationToken cancellationToken)
    {
        DeploymentRecord? updated = null;
        await ChangeAsync(deployment.Model, deployment.Environment, records =>
        {
            var index = records.FindIndex(r => r.Id == deployment.Id);
            if (index >= 0 && records[index].State == DeploymentState.InProgress)
            {
                updated = records[index] with { Description = description, UpdatedAt = time.GetUtcNow() };
                records[index] = updated;
            }
        }, cancellationToken).ConfigureAwait(false);
        return updated
            ?? throw new InvalidOperationException(
            $"Deployment {deployment.Id} is not in progress in {FileFor(deployment.Model, deployment.Environment)}.");
    }

    public async Task<IReadOnlyList<DeploymentRecord>> ListAsync(string model, string environment, CancellationToken cancellationToken)
    {
        var records = await ReadAsync(FileFor(model, environment), cancellationToken).ConfigureAwait(false);
        records.Reverse();
        return records;
    }

    private async Task ChangeAsync(string model, string environment, Action<List<DeploymentRecord>> change,
        CancellationToken cancellationToken)
    {
        var file = FileFor(model, environment);
        await using var _ = await FolderLock.AcquireAsync(Path.GetDirectoryName(file)!, WriteLockTimeout, time, cancellationToken)
            .ConfigureAwait(false);
        var records = await ReadAsync(file, cancellationToken).ConfigureAwait(false);
        change(records);
        await AtomicFile.WriteAllTextAsync(file, PackageJson.Serialize(records), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<DeploymentRecord>> ReadAsync(string file, CancellationToken cancellationToken) =>
        File.Exists(file) ? await PackageJson.ReadAsync<List<DeploymentRecord>>(file, cancellationToken).ConfigureAwait(false) : [];
}
