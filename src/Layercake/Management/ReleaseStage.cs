using Layercake.Registry;
using Layercake.Management.Releases;
using Microsoft.Extensions.Logging;

namespace Layercake.Management;

/// <summary>The Release task: records a packaged, gated, smoke-tested version in the release registry.</summary>
public sealed class ReleaseStage(IModelRegistry registry, ILogger logger)
{
    public async Task<ReleaseReport> RunAsync(RegisteredVersion version, CancellationToken cancellationToken)
    {
        var published = await registry.PublishAsync(version, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Released {Tag} in the {Registry}{Url}", published.Tag, registry.Description, published.Url is { } url
            ? $": {url}" : "");
        return new ReleaseReport(published, registry.Description);
    }
}
