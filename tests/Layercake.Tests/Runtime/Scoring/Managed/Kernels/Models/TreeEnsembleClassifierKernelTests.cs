using Layercake.Runtime.Scoring.Managed;
using Layercake.Runtime.Scoring.Managed.Onnx;
using Layercake.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Layercake.Tests.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// TreeEnsembleClassifier against ONNX Runtime on hand-built graphs (<see cref="TreeClassifierGraph"/>): ML.NET's exporter
/// writes every tree model as TreeEnsembleRegressor, so no package of ours has one, but other exporters' graphs do.
/// Each case is a way ONNX Runtime ends the scores: several classes, and the two-class rules.
/// </summary>
[Category(Categories.Integration)]
public sealed class TreeEnsembleClassifierKernelTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("three classes, int labels, softmax, base values", null, [10, 20, 30], "SOFTMAX", [0.1f, -0.2f, 0.3f],
            i => [(i % 3, 0.4f + (0.1f * i)), ((i + 1) % 3, -0.2f)]);
        yield return Case("three classes, string labels, no transform, one class never weighted", ["a", "b", "c"], null, "NONE", [],
            i => [(i % 2 == 0 ? 0 : 2, (0.3f * i) - 0.8f)]);
        yield return Case("three classes, logistic, softmax-zero", ["a", "b", "c"], null, "SOFTMAX_ZERO", [], i => [(i % 3, i == 6 ? 0f : 0.5f * i)]);
        yield return Case("two classes, one weighted, all weights positive", null, [0, 1], "NONE", [], i => [(1, 0.15f * i)]);
        yield return Case("two classes, one weighted, mixed weights, logistic", ["no", "yes"], null, "LOGISTIC", [],
            i => [(1, (0.4f * i) - 1.1f)]);
        yield return Case("two classes, one weighted, mixed weights, no transform", null, [3, 7], "NONE", [], i => [(1, (0.4f * i) - 1.1f)]);
        yield return Case("two classes, both weighted, no base values", null, [3, 7], "LOGISTIC", [], i => [(i % 2, (0.3f * i) - 0.9f)]);
        yield return Case("two classes, both weighted, two base values", ["no", "yes"], null, "NONE", [0.25f, -0.5f],
            i => [(0, 0.2f * i), (1, 0.1f - (0.1f * i))]);
        yield return Case("two classes, the first weighted, one base value, softmax", ["no", "yes"], null, "SOFTMAX", [0.3f],
            i => [(0, (0.2f * i) - 0.5f)]);
    }

    private static TestCaseData Case(string name, string[]? strings, long[]? ints, string transform, float[] baseValues,
        Func<int, (long, float)[]> weights) =>
        new TestCaseData(TreeClassifierGraph.Build(strings, ints, transform, baseValues, weights)).SetName(name);

    [TestCaseSource(nameof(Cases))]
    public void Scores_and_labels_match_onnx_runtime(byte[] model)
    {
        var (a, b) = Rows(400);
        using var session = new InferenceSession(model);
        using var results = session.Run([
            NamedOnnxValue.CreateFromTensor("a", new DenseTensor<float>(a, [a.Length, 1])),
            NamedOnnxValue.CreateFromTensor("b", new DenseTensor<float>(b, [b.Length, 1])),
        ]);
        var expectedScores = results.First(r => r.Name == "Z").AsTensor<float>().ToArray();
        var labelTensor = results.First(r => r.Name == "Y");
        var expectedLabels = labelTensor.ElementType == TensorElementType.String
            ? labelTensor.AsTensor<string>().ToArray()
            : [.. labelTensor.AsTensor<long>().ToArray().Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))];

        var (labels, scores) = Managed(model, a, b);

        Assert.That(labels, Is.EqualTo(expectedLabels));
        Assert.That(scores, Is.EqualTo(expectedScores).Within(1e-6));
    }

    [Test]
    public void A_probit_transform_is_named_and_left_to_onnx_runtime()
    {
        var model = TreeClassifierGraph.Build(null, [0, 1, 2], "PROBIT", [], i => [(i % 3, 0.5f)]);

        var error = Assert.Throws<UnsupportedOnnxException>(() => GraphPlan.Compile(OnnxGraph.Read(model), ["Y", "Z"]))!;

        Assert.That(error.Reason, Does.Contain("post_transform PROBIT"));
    }

    /// <summary>Values either side of every threshold, on them, and missing.</summary>
    private static (float[] A, float[] B) Rows(int n)
    {
        var random = new Random(7);
        float[] special = [0.5f, 0.2f, -0.3f, 0.8f, float.NaN];
        float Draw() => random.Next(5) == 0 ? special[random.Next(special.Length)] : (float)((random.NextDouble() * 2.4) - 1.0);
        var a = new float[n];
        var b = new float[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = Draw();
            b[i] = Draw();
        }

        return (a, b);
    }

    private static (string[] Labels, float[] Scores) Managed(byte[] model, float[] a, float[] b)
    {
        var plan = GraphPlan.Compile(OnnxGraph.Read(model), ["Y", "Z"]);
        var frame = new Frame(plan.SlotCount) { Rows = a.Length };
        a.CopyTo(frame.Write<float>(plan.Inputs.Single(i => i.Name == "a").Slot, 1), 0);
        b.CopyTo(frame.Write<float>(plan.Inputs.Single(i => i.Name == "b").Slot, 1), 0);
        plan.Run(frame);
        var label = plan.Outputs[0];
        var score = plan.Outputs[1];
        var classes = frame.Width(score.Slot);
        string[] labels = label.Kind == ValueKind.String
            ? frame.Read<string>(label.Slot)[..a.Length]
            : [.. frame.Read<long>(label.Slot)[..a.Length].Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        return (labels, frame.Read<float>(score.Slot)[..(a.Length * classes)]);
    }
}
