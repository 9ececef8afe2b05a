using Layercake.Tests.TestSupport;
using Mono.Cecil;

namespace Layercake.Tests.Architecture;

/// <summary>
/// The rules docs/ARCHITECTURE.md states, checked on the compiled assemblies: the library and the server know
/// nothing of Cake, the server and Runtime nothing of ML.NET, the folders of src/Layercake form no cycle, the
/// shared plumbing and the pipeline declaration depend on no phase, and no type uses another folder's
/// <c>Internal</c> namespace.
/// </summary>
[Category(Categories.Unit)]
public sealed class LayeringTests
{
    private static readonly string[] SourceAssemblies = ["Layercake", "Layercake.Runtime", "Layercake.Serving"];
    private static readonly string[] Phases = ["Layercake.Development", "Layercake.Deployment", "Layercake.Management", "Layercake.Monitoring", "Layercake.Batch"];

    private static string PathOf(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

    private static readonly Lazy<TypeDependencies> Library = new(() => TypeDependencies.Read(PathOf("Layercake")));

    private static IEnumerable<string> References(string assembly)
    {
        using var module = ModuleDefinition.ReadModule(PathOf(assembly));
        return module.AssemblyReferences.Select(r => r.Name).ToArray();
    }

    [TestCaseSource(nameof(SourceAssemblies))]
    public void Source_assemblies_reference_no_Cake(string assembly) =>
        Assert.That(References(assembly).Where(r => r.StartsWith("Cake", StringComparison.Ordinal)), Is.Empty,
            $"{assembly} must know nothing of Cake: build/ is the only Cake code");

    [TestCase("Layercake.Runtime")]
    [TestCase("Layercake.Serving")]
    public void The_server_and_Runtime_reference_no_ML_NET(string assembly) =>
        Assert.That(References(assembly).Where(r => (r == "Microsoft.ML" || r.StartsWith("Microsoft.ML.", StringComparison.Ordinal)) && r != "Microsoft.ML.OnnxRuntime"), Is.Empty,
            $"{assembly} is compiled NativeAOT into the serving image, which scores with ONNX Runtime alone");

    [Test]
    public void The_folders_of_the_library_form_no_cycle()
    {
        // A folder's Internal namespace is part of that folder: the folder may use it, and it may use the folder.
        var graph = Library.Value.NamespaceGraph("Layercake")
            .GroupBy(n => FolderOf(n.Key))
            .ToDictionary(g => g.Key, g => g.SelectMany(n => n.Value).Select(FolderOf).Where(to => to != g.Key).ToHashSet(StringComparer.Ordinal));
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToArray();

        Assert.That(cycles, Is.Empty, string.Join("\n", cycles.Select(c => Describe(c, graph))));
    }

    [TestCase("Layercake.Shared")]
    [TestCase("Layercake.Pipelines")]
    public void Shared_plumbing_and_the_pipeline_declaration_depend_on_no_phase(string root)
    {
        var graph = Library.Value.NamespaceGraph("Layercake");
        var reaches = graph.Where(n => TypeDependencies.IsUnder(n.Key, root))
            .SelectMany(n => n.Value.Where(to => Phases.Any(p => TypeDependencies.IsUnder(to, p))).SelectMany(to => Library.Value.Witnesses(n.Key, to)))
            .ToArray();

        Assert.That(reaches, Is.Empty, $"{root} is read by every phase, so it must not depend on one");
    }

    /// <summary>The diagram at the top of docs/ARCHITECTURE.md: each part of the library and what it may use.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Layercake.Shared"] = [],
        ["Layercake.Pipelines"] = [],
        ["Layercake.Registry"] = ["Layercake.Shared"],
        ["Layercake.Development"] = ["Layercake.Pipelines", "Layercake.Registry", "Layercake.Shared"],
        ["Layercake.Deployment"] = ["Layercake.Pipelines", "Layercake.Registry", "Layercake.Shared"],
        ["Layercake.Management"] = ["Layercake.Deployment", "Layercake.Development", "Layercake.Pipelines", "Layercake.Registry", "Layercake.Shared"],
        ["Layercake.Monitoring"] = ["Layercake.Deployment", "Layercake.Management", "Layercake.Pipelines", "Layercake.Registry", "Layercake.Shared"],
        // Batch scoring reads tables as Prepare does, records runs as Train does, and finds what is live as Deployment
        // does (docs/decisions/0050-batch-scoring-is-its-own-part.md); nothing depends on it.
        ["Layercake.Batch"] = ["Layercake.Deployment", "Layercake.Development", "Layercake.Pipelines", "Layercake.Registry", "Layercake.Shared"],
    };

    [Test]
    public void Each_part_uses_only_the_parts_the_architecture_allows()
    {
        string PartOf(string ns) => Allowed.Keys.FirstOrDefault(p => TypeDependencies.IsUnder(ns, p)) ?? ns;
        var graph = Library.Value.NamespaceGraph("Layercake");
        var stray = graph.SelectMany(n => n.Value.Select(to => (From: n.Key, To: to)))
            .Where(e => Allowed.ContainsKey(PartOf(e.From)) && Allowed.ContainsKey(PartOf(e.To)) && PartOf(e.From) != PartOf(e.To) && !Allowed[PartOf(e.From)].Contains(PartOf(e.To)))
            .Select(e => $"{e.From} → {e.To} (e.g. {Library.Value.Witnesses(e.From, e.To).FirstOrDefault()})")
            .ToArray();

        Assert.That(graph.Keys.Where(n => n != "Layercake" && !Allowed.ContainsKey(PartOf(n))), Is.Empty, "every namespace belongs to a part of the diagram");
        Assert.That(stray, Is.Empty);
    }

    [Test]
    public void No_type_uses_another_folders_internals()
    {
        var library = Library.Value;
        var violations = library.Uses
            .SelectMany(u => u.Value.Select(used => (From: u.Key, Used: used, Namespace: library.NamespaceOf.GetValueOrDefault(used, ""))))
            .Where(x => OwnerOfInternal(x.Namespace) is { } owner && !TypeDependencies.IsUnder(library.NamespaceOf[x.From], owner))
            .Select(x => $"{x.From} uses {x.Used}, internal to {OwnerOfInternal(x.Namespace)}")
            .ToArray();

        Assert.That(violations, Is.Empty);
    }

    private static string FolderOf(string ns) => OwnerOfInternal(ns) ?? ns;

    /// <summary>For a namespace such as <c>Layercake.Monitoring.Internal.Parsing</c>, the folder that owns it.</summary>
    internal static string? OwnerOfInternal(string ns)
    {
        if (!TypeDependencies.IsUnder(ns, "Layercake"))
        {
            return null;
        }

        var index = ns.IndexOf(".Internal", StringComparison.Ordinal);
        return index > 0 && (ns.Length == index + ".Internal".Length || ns[index + ".Internal".Length] == '.') ? ns[..index] : null;
    }

    private static string Describe(IReadOnlyCollection<string> cycle, Dictionary<string, HashSet<string>> graph)
    {
        var members = cycle.ToHashSet();
        var edges = cycle.SelectMany(from => graph[from].Where(members.Contains).Select(to =>
            $"  {from} → {to} (e.g. {Library.Value.Witnesses(from, to).FirstOrDefault() ?? "through its Internal namespace"})"));
        return $"cycle between {string.Join(", ", cycle.Order())}:\n{string.Join("\n", edges)}";
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    internal static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();

        void Visit(string v)
        {
            indices[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!indices.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], indices[w]);
                }
            }

            if (low[v] != indices[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            }
            while (x != v);
            result.Add(component);
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!indices.ContainsKey(v)) Visit(v);
        }

        return result;
    }
}
