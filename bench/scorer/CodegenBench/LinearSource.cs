using System.Text;

namespace Layercake.Bench.Codegen;

/// <summary>C# for a linear model's scores: each target's fused multiply-add chain written out with its weights as literals.</summary>
internal static class LinearSource
{
    public static string Scores(string name, float[] coefficients, float[] intercepts)
    {
        var features = coefficients.Length / intercepts.Length;
        var code = new StringBuilder();
        code.AppendLine($"public static unsafe void {name}(float* x, int features, int rows, float* scores) {{");
        code.AppendLine("  for (var r = 0; r < rows; r++) { var row = x + (r * features); float s;");
        for (var t = 0; t < intercepts.Length; t++)
        {
            code.AppendLine("    s = 0f;");
            for (var f = 0; f < features; f++)
            {
                code.AppendLine($"    s = System.MathF.FusedMultiplyAdd(row[{f}], {TreeSource.Float(coefficients[(t * features) + f])}, s);");
            }

            code.AppendLine($"    scores[(r * {intercepts.Length}) + {t}] = s + {TreeSource.Float(intercepts[t])};");
        }

        code.AppendLine("  } }");
        return code.ToString();
    }
}
