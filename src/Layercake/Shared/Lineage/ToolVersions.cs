using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace Layercake.Shared.Lineage;

/// <summary>The versions that decide what a model is: a change to any of them re-runs the stages.</summary>
internal static class ToolVersions
{
    public static IReadOnlyDictionary<string, string> Current { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["layercake"] = VersionOf(typeof(ToolVersions).Assembly),
        // Any change to the library's code may change what a stage makes, so its build counts as a tool version.
        ["layercake_build"] = typeof(ToolVersions).Assembly.ManifestModule.ModuleVersionId.ToString(),
        ["ml.net"] = VersionOf(typeof(MLContext).Assembly),
        ["onnx_converter"] = VersionOf(typeof(OnnxExportExtensions).Assembly),
        ["onnxruntime"] = VersionOf(typeof(InferenceSession).Assembly),
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = RuntimeInformation.RuntimeIdentifier,
    };

    private static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        // Drop the "+commit" build metadata: the commit is recorded separately.
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }
}
