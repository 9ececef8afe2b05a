using Layercake.Management.Registry;

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

        return await OfModelAsync(context, context.Spec.Name);
    }

    /// <summary>The version --version names, or the latest, of a model by its registry name.</summary>
    public static async Task<RegisteredVersion> OfModelAsync(BuildContext context, string model)
    {
        var versions = await context.ModelRegistry.ListAsync(model, context.CancellationToken);
        if (context.RequestedVersion is { } requested)
        {
            return versions.FirstOrDefault(v => v.Version.ToString() == requested)
                ?? throw new InvalidOperationException($"{model} {requested} is not in the registry {context.Paths.Models}; versions: {string.Join(", ", versions.Select(v => v.Version))}");
        }

        return versions.Count > 0
            ? versions[^1]
            : throw new InvalidOperationException($"The registry {context.Paths.Models} has no version of {model}; run --target=Package first.");
    }
}
