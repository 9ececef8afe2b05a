using System.Text;

namespace Layercake.Development.Data.Fitting;

/// <summary>
/// Column names as users write them ("Beak Length (mm)") are not safe ONNX or ML.NET names; each gets a
/// unique identifier-like tensor name, and the manifest keeps the mapping.
/// </summary>
internal sealed class TensorNames
{
    private readonly HashSet<string> _used =
        new(StringComparer.OrdinalIgnoreCase) { "Label", "Features", "Score", "PredictedLabel", "Probability" };

    public string For(string column)
    {
        var builder = new StringBuilder(column.Length);
        foreach (var c in column)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var name = string.Join('_', builder.ToString().Split('_', StringSplitOptions.RemoveEmptyEntries));
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name = "f_" + name;
        }

        var unique = name;
        for (var i = 2; !_used.Add(unique); i++)
        {
            unique = $"{name}_{i}";
        }

        return unique;
    }
}
