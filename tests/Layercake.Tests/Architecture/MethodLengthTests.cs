using Layercake.Tests.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layercake.Tests.Architecture;

/// <summary>
/// Methods a reader can hold: a body longer than a screen does several things, and each deserves a name.
/// Measured on the syntax tree, so comments and blank lines inside count (they are read too) and lambdas count
/// as part of the method that holds them.
/// </summary>
[Category(Categories.Unit)]
public sealed class MethodLengthTests
{
    private const int MaxLines = 60;

    private static readonly Lazy<IReadOnlyList<MethodSpan>> Methods = new(() => MeasureAll(["src", "build"]));

    [Test]
    public void No_method_exceeds_the_line_limit()
    {
        var tooLong = Methods.Value
            .Where(m => m.Lines > MaxLines)
            .Select(m => $"{m.File}:{m.Line}: {m.Name} is {m.Lines} lines")
            .ToArray();

        Assert.That(tooLong, Is.Empty, $"split these into named private methods (limit {MaxLines} lines)");
    }

    [Test]
    public void The_measure_counts_from_the_signature_to_the_closing_brace_and_includes_lambdas_and_local_functions()
    {
        const string source = """
            class C
            {
                [System.Obsolete]
                int M()
                {
                    System.Func<int> f = () =>
                    {
                        return 1;
                    };
                    return f() + L();
                    int L() => 2;
                }
                int P { get { return 1; } }
                int E() =>
                    3;
            }
            """;

        var spans = Measure("C.cs", source).ToDictionary(m => m.Name, m => (m.Line, m.Lines));

        Assert.That(spans["M"], Is.EqualTo((4, 9)), "from the signature after the attribute to the closing brace");
        Assert.That(spans["L"], Is.EqualTo((11, 1)));
        Assert.That(spans["get"], Is.EqualTo((13, 1)));
        Assert.That(spans["E"], Is.EqualTo((14, 2)));
        Assert.That(spans, Has.Count.EqualTo(4), "lambdas are part of their method, not methods of their own");
    }

    private static List<MethodSpan> MeasureAll(string[] folders) =>
        folders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f))
            .SelectMany(f => Measure(Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'), File.ReadAllText(f)))
            .ToList();

    private static bool IsBuildOutput(string path)
    {
        var separator = Path.DirectorySeparatorChar;
        return path.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
            || path.Contains($"{separator}bin{separator}", StringComparison.Ordinal);
    }

    private static IEnumerable<MethodSpan> Measure(string file, string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, path: file).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            if (BodyOf(node) is not { } found)
            {
                continue;
            }

            var first = FirstLineAfterAttributes(node);
            var last = found.Body.GetLocation().GetLineSpan().EndLinePosition.Line;
            yield return new MethodSpan(file, found.Name, first + 1, last - first + 1);
        }
    }

    private static (SyntaxNode Body, string Name)? BodyOf(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax m => Named(m.Body ?? (SyntaxNode?)m.ExpressionBody, m.Identifier.Text),
        ConstructorDeclarationSyntax c => Named(c.Body ?? (SyntaxNode?)c.ExpressionBody, c.Identifier.Text),
        DestructorDeclarationSyntax d => Named(d.Body ?? (SyntaxNode?)d.ExpressionBody, "~" + d.Identifier.Text),
        OperatorDeclarationSyntax o => Named(o.Body ?? (SyntaxNode?)o.ExpressionBody, "operator " + o.OperatorToken.Text),
        ConversionOperatorDeclarationSyntax c => Named(c.Body ?? (SyntaxNode?)c.ExpressionBody, "operator " + c.Type),
        AccessorDeclarationSyntax a => Named(a.Body ?? (SyntaxNode?)a.ExpressionBody, a.Keyword.Text),
        PropertyDeclarationSyntax p => Named(p.ExpressionBody, p.Identifier.Text),
        IndexerDeclarationSyntax i => Named(i.ExpressionBody, "this[]"),
        LocalFunctionStatementSyntax l => Named(l.Body ?? (SyntaxNode?)l.ExpressionBody, l.Identifier.Text),
        _ => null,
    };

    private static (SyntaxNode Body, string Name)? Named(SyntaxNode? body, string name) =>
        body is null ? null : (body, name);

    private static int FirstLineAfterAttributes(SyntaxNode node)
    {
        var token = node.GetFirstToken();
        while (token.Parent?.FirstAncestorOrSelf<AttributeListSyntax>() is { } list && node.Span.Contains(list.Span))
        {
            token = list.GetLastToken().GetNextToken();
        }

        return token.GetLocation().GetLineSpan().StartLinePosition.Line;
    }

    private sealed record MethodSpan(string File, string Name, int Line, int Lines);
}
