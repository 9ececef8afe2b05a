using Layercake.Runtime.Scoring.Managed.Kernels.Models;

namespace Layercake.Bench.Codegen;

/// <summary>One measured part of a graph: its generated source, its interpreted run and its generated run on the same rows.</summary>
internal sealed unsafe class Parts
{
    private readonly float[] _x;
    private readonly int _features;
    private readonly float[][] _interpreted;
    private readonly float[][] _generated;
    private readonly Action<float[], int, float[][]> _interpret;
    private readonly float[] _one;
    private IntPtr[]? _pointers;
    private int _next;
    private readonly int _width;
    private readonly string[] _methods;

    private Parts(string source, string[] methods, float[] x, int features, int width, Action<float[], int, float[][]> interpret)
    {
        Source = source;
        _methods = methods;
        _x = x;
        _features = features;
        _width = width;
        _interpret = interpret;
        _one = new float[features];
        _interpreted = [.. methods.Select(_ => new float[1000 * width])];
        _generated = [.. methods.Select(_ => new float[1000 * width])];
    }

    public string Source { get; }

    /// <summary>Rows whose features fall on or either side of the trees' own thresholds, so every path is taken.</summary>
    public static Parts Trees(TreeEnsemble[] ensembles)
    {
        var features = ensembles.Max(e => e.MaxFeature) + 1;
        var thresholds = Enumerable.Range(0, features).Select(f => ensembles.SelectMany(e => e.Nodes.Take(e.BranchCount))
            .Where(n => n.Feature == f).Select(n => n.Threshold).DefaultIfEmpty(0f).ToArray()).ToArray();
        var random = new Random(1);
        var x = new float[1000 * features];
        for (var i = 0; i < x.Length; i++)
        {
            var t = thresholds[i % features];
            x[i] = t[random.Next(t.Length)] + ((random.Next(3) - 1) * 1e-3f);
        }

        var source = string.Join("\n", ensembles.Select((e, k) => TreeSource.Ensemble($"E{k}", e)));
        return new Parts(source, [.. ensembles.Select((_, k) => $"E{k}")], x, features, 1, (input, rows, sums) =>
        {
            for (var k = 0; k < ensembles.Length; k++)
            {
                TreeSums.SumOneTarget(ensembles[k], input, features, rows, sums[k]);
            }
        });
    }

    public static Parts Linear(float[] coefficients, float[] intercepts)
    {
        var features = coefficients.Length / intercepts.Length;
        var random = new Random(1);
        var x = Enumerable.Range(0, 1000 * features).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        return new Parts(LinearSource.Scores("L0", coefficients, intercepts), ["L0"], x, features, intercepts.Length,
            (input, rows, scores) => LinearKernel.Scores(input, rows, features, coefficients, intercepts, scores[0]));
    }

    /// <summary>A batch from the first row, or one row, the next in turn: the same row every call would let the CPU learn its path.</summary>
    public void Interpreted(int rows) => _interpret(Rows(rows), rows, _interpreted);

    private float[] Rows(int rows)
    {
        if (rows > 1)
        {
            return _x;
        }

        Array.Copy(_x, _next * _features, _one, 0, _features);
        _next = (_next + 1) % 1000;
        return _one;
    }

    public void Generated(Type generated, int rows)
    {
        _pointers ??= [.. _methods.Select(m => generated.GetMethod(m)!.MethodHandle.GetFunctionPointer())];
        fixed (float* x = Rows(rows))
        {
            for (var k = 0; k < _methods.Length; k++)
            {
                fixed (float* output = _generated[k])
                {
                    ((delegate*<float*, int, int, float*, void>)_pointers[k])(x, _features, rows, output);
                }
            }
        }
    }

    /// <summary>" (identical)" when both give the same bits on all 1,000 rows, else how many values differ.</summary>
    public string Check(Type generated)
    {
        Interpreted(1000);
        Generated(generated, 1000);
        var differ = _interpreted.SelectMany(v => v).Zip(_generated.SelectMany(v => v))
            .Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
        return differ == 0 ? " (identical)" : $" ({differ} values differ)";
    }
}
