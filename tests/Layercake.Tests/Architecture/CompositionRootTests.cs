using System.Text.RegularExpressions;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Architecture;

/// <summary>
/// The build host composes once: services are registered in build/BuildServices.cs and reach a task through its
/// constructor, the context holds the run's data, and each task is a thin call into the library.
/// </summary>
[Category(Categories.Unit)]
public sealed partial class CompositionRootTests
{
    private static string Build(string file) => Path.Combine(Repository.Root, "build", file);

    [Test]
    public void The_build_context_is_short() =>
        Assert.That(File.ReadLines(Build("BuildContext.cs")).Count(), Is.LessThanOrEqualTo(120), "BuildContext holds data; services belong in BuildServices");

    [Test]
    public void The_build_context_holds_no_service()
    {
        var registered = Registered().Matches(File.ReadAllText(Build("BuildServices.cs"))).Select(m => m.Groups["type"].Value).ToHashSet();
        var properties = Property().Matches(File.ReadAllText(Build("BuildContext.cs"))).Select(m => m.Groups["type"].Value).ToArray();

        Assert.That(registered, Does.Contain("EnvironmentDeployment").And.Contain("RunRecorder"), "the pattern still reads BuildServices");
        Assert.That(properties, Is.Not.Empty);
        Assert.That(properties.Where(registered.Contains), Is.Empty, "a task receives services through its constructor, not from the context");
    }

    [Test]
    public void Every_task_file_is_thin()
    {
        var thick = SourceFiles.Under(Path.Combine("build", "Tasks"))
            .Select(f => (File: SourceFiles.Relative(f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 40)
            .Select(f => $"{f.File}: {f.Lines} lines");

        Assert.That(thick, Is.Empty, "a task calls one library entry point (limit 40 lines)");
    }

    [TestCase("src")]
    [TestCase("build")]
    public void Nothing_blocks_on_asynchronous_work(string folder)
    {
        var blocking = SourceFiles.Under(folder)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: SourceFiles.Relative(f), Line: i + 1, Text: line)))
            .Where(l => l.Text.Contains(".GetAwaiter().GetResult()", StringComparison.Ordinal) || Wait().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}");

        Assert.That(blocking, Is.Empty, "async all the way: await instead");
    }

    /// <summary>Types the composition root registers: <c>AddSingleton&lt;T&gt;</c>, <c>AddSingleton&lt;T, …&gt;</c> and <c>new T(</c> in a factory.</summary>
    [GeneratedRegex(@"AddSingleton<(?<type>\w+)[>,]|sp\s*=>\s*new\s+(?<type>\w+)\(|\?\s*new\s+(?<type>\w+)\(|:\s*new\s+(?<type>\w+)\(")]
    private static partial Regex Registered();

    [GeneratedRegex(@"public\s+(?<type>\w+)\??\s+\w+\s*(\{|=>)")]
    private static partial Regex Property();

    [GeneratedRegex(@"\.Wait\(\)|\.Result\b")]
    private static partial Regex Wait();
}
