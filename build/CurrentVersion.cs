using Layercake.Registry;

namespace Layercake.Build;

/// <summary>The version a task works on: the one Package registered in this run, else the one --model-version names, else the
/// latest.</summary>
public sealed class CurrentVersion(BuildContext context, LocalModelRegistry registry)
{
    public async Task<RegisteredVersion> GetAsync() =>
        context.Registered ?? await registry.SelectAsync(context.Spec.Name, context.Settings.RequestedVersion, context.CancellationToken);
}
