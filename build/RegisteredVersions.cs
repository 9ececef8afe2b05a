using Layercake.Registry;

namespace Layercake.Build;

/// <summary>Which registered version a task works on: this run's, the one --version names, or the latest.</summary>
public static class RegisteredVersions
{
    public static async Task<RegisteredVersion> CurrentAsync(BuildContext context)
    {
        if (context.Registered is { } registered)
        {
            return registered;
        }

        var versions = await context.ModelRegistry.ListAsync(context.Spec.Name, context.CancellationToken);
        if (context.RequestedVersion is { } requested)
        {
            return versions.FirstOrDefault(v => v.Version.ToString() == requested)
                ?? throw new InvalidOperationException($"{context.Spec.Name} {requested} is not in the registry {context.Paths.Models}; versions: {string.Join(", ", versions.Select(v => v.Version))}");
        }

        return versions.Count > 0
            ? versions[^1]
            : throw new InvalidOperationException($"The registry {context.Paths.Models} has no version of {context.Spec.Name}; run --target=Package first.");
    }
}
