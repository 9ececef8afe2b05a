using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Naming;

namespace Layercake.Development.Data;

/// <summary>
/// Whether the training table can be reached, checked before any stage runs: the data file exists, or the variable a
/// query's connection string is read from is set. A miss points at the pipeline line that names it, says what a path
/// is relative to and suggests the file or variable probably meant, instead of a bare I/O error minutes later.
/// </summary>
public static class DataInputCheck
{
    public static void Ensure(PipelineSpec spec)
    {
        if (spec.Source is { } source)
        {
            EnsureVariable(spec, source);
            return;
        }

        if (File.Exists(spec.DataPath) || spec.DataGiven is not { } given)
        {
            return;
        }

        var pipelineFolder = Path.GetDirectoryName(Path.GetFullPath(spec.SourceFile))!;
        if (given.Location is not { } location)
        {
            var meant = NearFile(spec.DataPath, Directory.GetCurrentDirectory());
            throw new DataFileNotFoundException(given.Text,
                $"a path given for a run is relative to the folder the build runs in, {Directory.GetCurrentDirectory()}" +
                    $"{DidYouMean(meant)}");
        }

        var suggestion = ElsewhereAbove(given.Text, pipelineFolder) ?? NearFile(spec.DataPath, pipelineFolder);
        throw new PipelineSpecException(spec.SourceFile, location, "data",
            $"'{given.Text}' not found (paths are relative to the pipeline file{DidYouMean(suggestion)})");
    }

    private static void EnsureVariable(PipelineSpec spec, QuerySource source)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(source.ConnectionEnv)))
        {
            return;
        }

        var names = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(n => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(n)));
        var meant = NearestName.Closest(source.ConnectionEnv, names);
        var problem = $"{source.ConnectionEnv} is not set; set it to the {source.Kind.ToString().ToLowerInvariant()} connection string" +
            (meant is null ? "" : $" (did you mean '{meant}', which is set?)");
        throw new PipelineSpecException(spec.SourceFile, source.ConnectionEnvLocation ?? new SourceLocation(1, 1), "source.connection_env",
            problem);
    }

    private static string DidYouMean(string? meant) => meant is null ? "" : $"; did you mean '{meant}'?";

    /// <summary>
    /// The path as written, read from the folder the build runs in or from a folder above the pipeline's (the usual
    /// slip: <c>data/x.csv</c> meant from the repository root), rewritten relative to the pipeline's folder.
    /// </summary>
    private static string? ElsewhereAbove(string text, string pipelineFolder)
    {
        if (Path.IsPathRooted(text))
        {
            return null;
        }

        var folders = new List<string> { Directory.GetCurrentDirectory() };
        for (var folder = Directory.GetParent(pipelineFolder); folder is not null; folder = folder.Parent)
        {
            folders.Add(folder.FullName);
        }

        return folders.Select(f => Path.GetFullPath(Path.Combine(f, text)))
            .Where(File.Exists)
            .Select(found => Path.GetRelativePath(pipelineFolder, found).Replace('\\', '/'))
            .FirstOrDefault();
    }

    /// <summary>A file in the folder the path names whose name is a near miss of it, relative to <paramref name="relativeTo"/>.</summary>
    private static string? NearFile(string fullPath, string relativeTo)
    {
        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var names = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>();
        return NearestName.Closest(Path.GetFileName(fullPath), names) is { } name
            ? Path.GetRelativePath(relativeTo, Path.Combine(folder, name)).Replace('\\', '/')
            : null;
    }
}
