using System.Text.RegularExpressions;
using Layercake.Tests.TestSupport;
using Mono.Cecil;

namespace Layercake.Tests.Architecture;

/// <summary>
/// docs/ARCHITECTURE.md's table "Tasks and their code" against the build host itself: every task is listed with
/// exactly the tasks its <c>[IsDependentOn]</c> attributes name, and with the library file it calls, which must
/// exist and be named in the task's file. So the doc cannot drift from the graph, and a task is one hop from its code.
/// </summary>
[Category(Categories.Unit)]
public sealed partial class ArchitectureDocTests
{
    private sealed record TaskRow(string Name, IReadOnlyList<string> DependsOn, string Code);

    internal static string BuildAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return Path.Combine(Repository.Root, "build", "bin", configuration, "net10.0", "Layercake.Build.dll");
    }

    private static Dictionary<string, (IReadOnlyList<string> DependsOn, string File)> Tasks()
    {
        using var module = ModuleDefinition.ReadModule(BuildAssembly());
        string? NameOf(TypeDefinition type) =>
            type.CustomAttributes.FirstOrDefault(a => a.AttributeType.Name == "TaskNameAttribute")?.ConstructorArguments[0].Value as string;
        var tasks = module.Types.Where(t => NameOf(t) is not null).ToArray();
        return tasks.ToDictionary(
            t => NameOf(t)!,
            t => ((IReadOnlyList<string>)t.CustomAttributes.Where(a => a.AttributeType.Name == "IsDependentOnAttribute")
                .Select(a => NameOf(((TypeReference)a.ConstructorArguments[0].Value).Resolve())!).Order(StringComparer.Ordinal).ToArray(),
                Path.Combine(Repository.Root, "build", "Tasks", t.Name + ".cs")));
    }

    private static List<TaskRow> DocumentedTasks()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "ARCHITECTURE.md"));
        var start = doc.IndexOf("## Tasks and their code", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/ARCHITECTURE.md has no section '## Tasks and their code'");
        var end = doc.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        var section = end < 0 ? doc[start..] : doc[start..end];
        return Row().Matches(section).Select(m => new TaskRow(
            m.Groups["task"].Value,
            m.Groups["deps"].Value.Trim() is "—" or "" ? [] : Regex.Matches(m.Groups["deps"].Value, "`([A-Za-z]+)`").Select(d => d.Groups[1].Value).Order(StringComparer.Ordinal).ToArray(),
            m.Groups["code"].Value)).ToList();
    }

    [Test]
    public void Every_task_is_documented_with_its_dependencies()
    {
        var tasks = Tasks();
        var documented = DocumentedTasks();

        Assert.That(documented.Select(r => r.Name), Is.EquivalentTo(tasks.Keys), "the table lists every task once, and only tasks");
        foreach (var row in documented)
        {
            Assert.That(row.DependsOn, Is.EqualTo(tasks[row.Name].DependsOn), $"{row.Name}'s 'Depends on' must match its [IsDependentOn] attributes");
        }
    }

    [Test]
    public void Every_task_names_the_library_file_it_calls_and_the_file_exists()
    {
        var tasks = Tasks();
        foreach (var row in DocumentedTasks())
        {
            var code = Path.Combine(Repository.Root, row.Code);
            Assert.That(File.Exists(code), Is.True, $"{row.Name}: {row.Code} does not exist");
            var type = Path.GetFileNameWithoutExtension(code);
            Assert.That(File.ReadAllText(tasks[row.Name].File), Does.Contain(type), $"{row.Name}'s task file must call {type}");
        }
    }

    // | `Train` | `Prepare` | `src/Layercake/Development/TrainStage.cs` |
    [GeneratedRegex(@"^\|\s*`(?<task>[A-Za-z]+)`\s*\|(?<deps>[^|]*)\|\s*`(?<code>[^`]+)`[^|]*\|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
