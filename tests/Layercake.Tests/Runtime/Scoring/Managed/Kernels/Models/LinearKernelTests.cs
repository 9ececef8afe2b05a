using Layercake.Runtime.Scoring.Managed.Kernels.Models;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// The linear scores where the NativeAOT server has no fused multiply-add instruction compiled in: the double-precision
/// multiply-add must round as the fused one (ONNX Runtime's MLAS) does, or the managed scorer's parity would drift.
/// </summary>
[Category(Categories.Unit)]
public sealed class LinearKernelTests
{
    [Test]
    public void A_multiply_add_in_double_rounds_as_the_fused_one_does()
    {
        var random = new Random(20261208);
        var differ = 0;
        for (var i = 0; i < 2_000_000; i++)
        {
            // Values of the sizes a linear model multiplies and sums: scaled features, weights and running sums.
            var a = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 5)));
            var b = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 5)));
            var c = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 5)));
            if (LinearKernel.FusedInDouble(a, b, c) != MathF.FusedMultiplyAdd(a, b, c))
            {
                differ++;
            }
        }

        // About one operation in 2^29 may round apart, so none is expected in two million.
        Assert.That(differ, Is.EqualTo(0));
    }

    [Test]
    public void Scores_in_double_equal_the_fused_instructions_scores_for_every_row()
    {
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            Assert.Ignore("this processor has no fused multiply-add instruction to compare with");
        }

        // 1,003 rows: the four-row chains and the rows left after them.
        const int rows = 1003, features = 10, targets = 3;
        var random = new Random(7);
        var x = Enumerable.Range(0, rows * features).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray();
        var coefficients = Enumerable.Range(0, targets * features).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] intercepts = [0.5f, -1.25f, 3f];
        var inDouble = new float[rows * targets];
        var fused = new float[rows * targets];

        LinearKernel.ScoresInDouble(x, rows, features, coefficients, intercepts, inDouble);
        LinearKernel.ScoresWithFmaInstruction(x, rows, features, coefficients, intercepts, fused);

        Assert.That(inDouble, Is.EqualTo(fused));
    }

    [Test]
    public void A_multiply_add_in_double_is_not_a_plain_float_multiply_then_add()
    {
        // 1 + 2^-12 squared is 1 + 2^-11 + 2^-24: the plain product rounds the last term away before the sum, the fused
        // one keeps it, and so must the double one.
        var a = 1f + MathF.Pow(2, -12);
        var c = -(1f + MathF.Pow(2, -11));
        Assert.Multiple(() =>
        {
            Assert.That(LinearKernel.FusedInDouble(a, a, c), Is.EqualTo(MathF.Pow(2, -24)));
            Assert.That(MathF.FusedMultiplyAdd(a, a, c), Is.EqualTo(MathF.Pow(2, -24)));
        });
    }
}
