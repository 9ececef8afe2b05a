using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Layercake.Bench.Codegen;
using Layercake.Runtime.Scoring.Managed.Kernels.Models;
using Layercake.Runtime.Scoring.Managed.Onnx;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Usage: CodegenBench <package directory>...   The tree ensembles and linear models of each package's graph, run by the
// managed scorer's kernels and by C# generated from them (compiled by Roslyn here, at run time), on the same rows, in
// turns (40 turns each, fastest slice kept, so a burst of load from other processes hits both alike).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine("| package | part | compile ms | 1 row µs (interpreted) | 1 row µs (generated) | 1,000 rows µs (interpreted) | 1,000 rows µs (generated) | generated ÷ interpreted (speed, 1 / 1,000) |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var directory in args)
{
    var graph = OnnxGraph.Load(Path.Combine(directory, "model.optimized.onnx"));
    var name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd('/')));
    var trees = graph.Nodes.Where(n => n.Operator == "ai.onnx.ml.TreeEnsembleRegressor").Select(n => TreeEnsembleReader.Read(n, "target")).ToArray();
    var linear = graph.Nodes.Where(n => n.Operator is "ai.onnx.ml.LinearClassifier" or "ai.onnx.ml.LinearRegressor").ToArray();
    if (trees.Length > 0)
    {
        Report(name!, $"{trees.Length} tree ensemble(s), {trees.Sum(t => t.Roots.Length)} trees", Parts.Trees(trees));
    }

    foreach (var node in linear)
    {
        Report(name!, $"{node.OpType} ({node.Floats("intercepts").Length} targets)", Parts.Linear(node.Floats("coefficients"), node.Floats("intercepts")));
    }
}

static void Report(string package, string part, Parts parts)
{
    var started = Stopwatch.GetTimestamp();
    var generated = Compile(parts.Source);
    var compile = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    var check = parts.Check(generated);
    var best = new double[4];
    Array.Fill(best, double.MaxValue);
    for (var turn = 0; turn < 40; turn++)
    {
        best[0] = Math.Min(best[0], Time(() => parts.Interpreted(1), 2000));
        best[1] = Math.Min(best[1], Time(() => parts.Generated(generated, 1), 2000));
        best[2] = Math.Min(best[2], Time(() => parts.Interpreted(1000), 5));
        best[3] = Math.Min(best[3], Time(() => parts.Generated(generated, 1000), 5));
    }

    Console.WriteLine($"| {package} | {part}{check} | {compile:0} | {best[0]:0.00} | {best[1]:0.00} | {best[2]:0} | {best[3]:0} | "
        + $"{best[0] / best[1]:0.00}× / {best[2] / best[3]:0.00}× |");
}

static double Time(Action action, int calls)
{
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < calls; i++)
    {
        action();
    }

    return Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls;
}

static Type Compile(string source)
{
    var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "System.Runtime.Extensions.dll")
        .Select(p => MetadataReference.CreateFromFile(p));
    var compilation = CSharpCompilation.Create("Generated", [CSharpSyntaxTree.ParseText("public static class Generated {\n" + source + "\n}")],
        references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));
    using var image = new MemoryStream();
    var result = compilation.Emit(image);
    if (!result.Success)
    {
        throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Take(5)));
    }

    return Assembly.Load(image.ToArray()).GetType("Generated")!;
}
