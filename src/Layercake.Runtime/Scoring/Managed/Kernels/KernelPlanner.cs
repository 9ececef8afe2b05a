using Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;
using Layercake.Runtime.Scoring.Managed.Kernels.Features;
using Layercake.Runtime.Scoring.Managed.Kernels.Models;
using Layercake.Runtime.Scoring.Managed.Kernels.Tokens;
using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed.Kernels;

/// <summary>
/// Turns each node into its kernel. The operators are those ML.NET's ONNX export emits for the trainers and featurisers
/// Layercake supports (docs/decisions/0060-managed-onnx-interpreter.md); any other is an <see cref="UnsupportedOnnxException"/> naming it,
/// and the package is
/// served by ONNX Runtime.
/// </summary>
internal static class KernelPlanner
{
    /// <summary>The kernel of <paramref name="node"/>, or null when the node only renames its input (a reshape).</summary>
    public static Kernel? Plan(OnnxNode node, PlanBuilder plan) => node.Operator switch
    {
        "ai.onnx.ml.LabelEncoder" => LabelEncoderPlanner.Plan(node, plan),
        "ai.onnx.ml.OneHotEncoder" => OneHot(node, plan),
        "ai.onnx.ml.FeatureVectorizer" => new FeatureVectorizerKernel(
            [.. node.Inputs.Select((_, i) => plan.Input(node, i))], [.. node.Ints("inputdimensions").Select(d => (int)d)],
                Out(node, plan, ValueKind.Float)),
        "ai.onnx.ml.Scaler" =>
            new ScalerKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float), node.Floats("offset"), node.Floats("scale")),
        "ai.onnx.ml.Normalizer" => new NormalizerKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float), node.String("norm", "MAX")),
        "ai.onnx.ml.Imputer" => Imputer(node, plan),
        "ai.onnx.ml.Binarizer" => new BinarizerKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float), node.Float("threshold", 1f)),
        "ai.onnx.ml.LinearClassifier" => LinearClassifier(node, plan),
        "ai.onnx.ml.LinearRegressor" => LinearRegressor(node, plan),
        "ai.onnx.ml.TreeEnsembleRegressor" => TreeRegressor(node, plan),
        "ai.onnx.ml.TreeEnsembleClassifier" => TreeClassifier(node, plan),
        "com.microsoft.Tokenizer" => Tokenizer(node, plan),
        "TfIdfVectorizer" => TfIdf(node, plan),
        "Cast" => Cast(node, plan),
        "Reshape" or "Unsqueeze" or "Squeeze" or "Identity" or "Flatten" => ShapeOnly.Plan(node, plan),
        "Add" or "Sub" or "Mul" or "Div" or "Greater" or "Less" or "Equal" or "GreaterOrEqual" or "LessOrEqual" => Binary(node, plan),
        "Sigmoid" or "Exp" or "Log" or "Abs" or "Neg" or "Sqrt" or "Relu" or "Floor" or "Ceil" => Unary(node, plan, ValueKind.Float),
        "Not" => Unary(node, plan, ValueKind.Int),
        "Clip" => Clip(node, plan),
        "Sum" or "Max" or "Min" or "Mean" => new VariadicKernel(
            node.OpType, [.. node.Inputs.Select((_, i) => plan.Input(node, i))], Out(node, plan, ValueKind.Float)),
        "Concat" => Concat(node, plan),
        "ArgMax" => ArgMax(node, plan),
        "Softmax" => new SoftmaxKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float)),
        _ => throw new UnsupportedOnnxException($"operator {node.Operator} (node '{node.Name}') is not one the managed scorer evaluates"),
    };

    private static int Out(OnnxNode node, PlanBuilder plan, ValueKind kind) => plan.Output(node, 0, kind).Slot;

    private static Kernel OneHot(OnnxNode node, PlanBuilder plan)
    {
        var input = plan.Input(node, 0);
        var ints = node.Ints("cats_int64s");
        var strings = node.Strings("cats_strings");
        var zeros = node.Int("zeros", 1) != 0;
        var output = Out(node, plan, ValueKind.Float);
        return strings.Length > 0
            ? new OneHotEncoderKernel(input, output, null, strings.Select((s, i) => (s, i)).DistinctBy(p => p.s)
                .ToDictionary(p => p.s, p => p.i), zeros)
            : new OneHotEncoderKernel(input, output, ints.Select((v, i) => (v, i)).DistinctBy(p => p.v).ToDictionary(p => p.v, p => p.i),
                null, zeros);
    }

    private static Kernel Imputer(OnnxNode node, PlanBuilder plan) => new ImputerKernel(
        plan.Input(node, 0), Out(node, plan, plan.Input(node, 0).Kind), node.Floats("imputed_value_floats"),
            node.Float("replaced_value_float", 0f),
        node.Ints("imputed_value_int64s"), node.Int("replaced_value_int64", 0));

    private static Kernel LinearClassifier(OnnxNode node, PlanBuilder plan)
    {
        var strings = node.Strings("classlabels_strings");
        var input = plan.Input(node, 0);
        var label = plan.Output(node, 0, strings.Length > 0 ? ValueKind.String : ValueKind.Int).Slot;
        var scores = plan.Output(node, 1, ValueKind.Float).Slot;
        var transform = node.String("post_transform", "NONE");
        if (transform is not ("NONE" or "SOFTMAX" or "LOGISTIC" or "SOFTMAX_ZERO"))
        {
            throw node.Unsupported($"post_transform {transform}");
        }

        return new LinearClassifierKernel(input, label, scores, node.Floats("coefficients"), node.Floats("intercepts"),
            strings.Length > 0 ? null : node.Ints("classlabels_ints"), strings.Length > 0 ? strings : null, transform);
    }

    private static Kernel LinearRegressor(OnnxNode node, PlanBuilder plan)
    {
        var targets = (int)node.Int("targets", 1);
        var intercepts = node.Floats("intercepts") is { Length: > 0 } given ? given : new float[targets];
        var transform = node.String("post_transform", "NONE");
        if (transform != "NONE" && targets == 1)
        {
            throw node.Unsupported($"post_transform {transform} on one target");
        }

        return new LinearRegressorKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float), node.Floats("coefficients"), intercepts,
            transform);
    }

    private static Kernel TreeRegressor(OnnxNode node, PlanBuilder plan)
    {
        if (node.String("post_transform", "NONE") != "NONE")
        {
            throw node.Unsupported($"post_transform {node.String("post_transform", "NONE")}");
        }

        if (node.Attribute("nodes_values_as_tensor") is not null || node.Attribute("target_weights_as_tensor") is not null)
        {
            throw node.Unsupported("double-precision thresholds or weights");
        }

        var targets = (int)node.Int("n_targets", 1);
        return new TreeEnsembleRegressorKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float),
            TreeEnsembleReader.Read(node, "target"), targets,
            node.Floats("base_values"), node.String("aggregate_function", "SUM"));
    }

    private static Kernel TreeClassifier(OnnxNode node, PlanBuilder plan)
    {
        var transform = node.String("post_transform", "NONE");
        if (transform is not ("NONE" or "SOFTMAX" or "LOGISTIC" or "SOFTMAX_ZERO"))
        {
            throw node.Unsupported($"post_transform {transform}");
        }

        if (node.Attribute("nodes_values_as_tensor") is not null || node.Attribute("class_weights_as_tensor") is not null
            || node.Attribute("base_values_as_tensor") is not null)
        {
            throw node.Unsupported("double-precision thresholds or weights");
        }

        var strings = node.Strings("classlabels_strings");
        var ints = node.Ints("classlabels_int64s");
        if (strings.Length + ints.Length < 2)
        {
            throw node.Unsupported("fewer than two class labels");
        }

        var input = plan.Input(node, 0);
        var label = plan.Output(node, 0, strings.Length > 0 ? ValueKind.String : ValueKind.Int).Slot;
        var trees = TreeEnsembleReader.Read(node, "class");
        if (trees.WeightTargets.Any(t => t >= strings.Length + ints.Length))
        {
            throw node.Unsupported("a class id beyond its class labels");
        }

        return new TreeEnsembleClassifierKernel(input, label, plan.Output(node, 1, ValueKind.Float).Slot, trees, node.Floats("base_values"),
            strings.Length > 0 ? null : ints, strings.Length > 0 ? strings : null, transform);
    }

    private static Kernel Tokenizer(OnnxNode node, PlanBuilder plan)
    {
        var separators = node.Strings("separators");
        if (separators.Length == 0 || separators.Any(s => s.Length != 1) || node.Attribute("tokenexp") is not null)
        {
            throw node.Unsupported("separators other than single characters");
        }

        return new TokenizerKernel(plan.Input(node, 0), Out(node, plan, ValueKind.String), string.Concat(separators),
            (int)node.Int("mincharnum", 1), node.Int("mark", 0) != 0, node.String("pad_value", "#"));
    }

    private static Kernel TfIdf(OnnxNode node, PlanBuilder plan)
    {
        if (node.Strings("pool_strings").Length > 0)
        {
            throw node.Unsupported("a pool of strings");
        }

        int min = (int)node.Int("min_gram_length", 1), max = (int)node.Int("max_gram_length", 1);
        var trie = NgramTrie.Build(node.Ints("pool_int64s"), node.Ints("ngram_counts"), min, max);
        return new TfIdfVectorizerKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float), trie, node.Ints("ngram_indexes"),
            node.Floats("weights"), node.String("mode", "TF"), min, max, (int)node.Int("max_skip_count", 0));
    }

    private static Kernel Cast(OnnxNode node, PlanBuilder plan)
    {
        var input = plan.Input(node, 0);
        var target = (OnnxElementType)node.Int("to", 0);
        var kind = PlanBuilder.KindOf(target);
        if (input.Kind == ValueKind.String || kind == ValueKind.String)
        {
            throw node.Unsupported($"a cast from {input.Kind} to {target}");
        }

        return new CastKernel(input, Out(node, plan, kind), target);
    }

    private static Kernel Binary(OnnxNode node, PlanBuilder plan)
    {
        var a = plan.Input(node, 0);
        var b = plan.Input(node, 1);
        var comparison = node.OpType is not ("Add" or "Sub" or "Mul" or "Div");
        var kind = a.Kind == ValueKind.Int && b.Kind == ValueKind.Int ? ValueKind.Int : ValueKind.Float;
        if (a.Kind == ValueKind.String || b.Kind == ValueKind.String || (comparison && kind == ValueKind.Int))
        {
            throw node.Unsupported($"inputs of kinds {a.Kind} and {b.Kind}");
        }

        return new BinaryKernel(node.OpType, a, b, Out(node, plan, comparison ? ValueKind.Int : kind), kind);
    }

    private static Kernel Unary(OnnxNode node, PlanBuilder plan, ValueKind kind) =>
        new UnaryKernel(node.OpType, plan.Input(node, 0), Out(node, plan, kind));

    private static Kernel Clip(OnnxNode node, PlanBuilder plan)
    {
        var min = plan.ConstantInput(node, 1) is { Floats.Length: > 0 } lower ? lower.Floats[0] : node.Float("min", float.MinValue);
        var max = plan.ConstantInput(node, 2) is { Floats.Length: > 0 } upper ? upper.Floats[0] : node.Float("max", float.MaxValue);
        if ((node.Inputs.Length > 1 && node.Inputs[1] != "" && plan.ConstantInput(node, 1) is null)
            || (node.Inputs.Length > 2 && node.Inputs[2] != "" && plan.ConstantInput(node, 2) is null))
        {
            throw node.Unsupported("bounds computed by the graph");
        }

        return new ClipKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Float), min, max);
    }

    private static Kernel Concat(OnnxNode node, PlanBuilder plan)
    {
        var inputs = node.Inputs.Select((_, i) => plan.Input(node, i)).ToArray();
        var axis = node.Int("axis", 0);
        if (axis is not (1 or -1) || inputs.Select(i => i.Kind).Distinct().Count() != 1)
        {
            throw node.Unsupported($"axis {axis} or inputs of different kinds");
        }

        return new ConcatKernel(inputs, Out(node, plan, inputs[0].Kind), inputs[0].Kind);
    }

    private static Kernel ArgMax(OnnxNode node, PlanBuilder plan)
    {
        if (node.Int("axis", 0) is not (1 or -1) || node.Int("keepdims", 1) != 1)
        {
            throw node.Unsupported("an axis other than the last, or keepdims = 0");
        }

        return new ArgMaxKernel(plan.Input(node, 0), Out(node, plan, ValueKind.Int), node.Int("select_last_index", 0) != 0);
    }
}
