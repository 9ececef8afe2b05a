namespace Layercake.Deployment;

/// <summary>
/// Publishes the model server (NativeAOT, linux-x64) into a folder. The build host does it with its own tool
/// runner, so the library decides when to publish but not how <c>dotnet</c> is found and run.
/// </summary>
public interface IServerPublisher
{
    Task PublishAsync(string outputDirectory, CancellationToken cancellationToken);
}
