using System.Text.RegularExpressions;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Architecture;

/// <summary>
/// The library speaks the domain's words: it names no flag of the build's command line, in code or comment, so it can
/// be hosted elsewhere. The build translates its errors into command-line advice (build/CommandLineAdvice.cs).
/// </summary>
[Category(Categories.Unit)]
public sealed partial class LibraryVocabularyTests
{
    [Test]
    public void The_library_names_no_flag_of_the_build()
    {
        var declared = Declared().Matches(File.ReadAllText(Path.Combine(Repository.Root, "build", "BuildArguments.cs"))).Select(m => m.Groups[1].Value);
        var flags = declared.Concat(["target", "verbosity", "exclusive", "dryrun", "tree", "description", "working"]).ToArray();
        var flag = new Regex($@"--({string.Join("|", flags.Select(Regex.Escape))})(?![\w-])");
        Assert.That(flags, Does.Contain("model-version").And.Contain("environment"), "the pattern still reads BuildArguments");

        var named = SourceFiles.Under(Path.Combine("src", "Layercake"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: SourceFiles.Relative(f), Line: i + 1, Text: line)))
            .Where(l => flag.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}");

        Assert.That(named, Is.Empty, "say it in the domain's words; the build adds the command line's advice");
    }

    [GeneratedRegex(@"new\(""([a-z][a-z-]*)""")]
    private static partial Regex Declared();
}
