using System.Text;

namespace Layercake.Runtime.Preprocessing.Categories;

/// <summary>
/// A bounded categorical: values are mapped here, before the model's one-hot encoding, so the one-hot width is at
/// most <see cref="Levels"/> + 1 or <see cref="Buckets"/>, and the ONNX model and ML.NET see the same strings.
/// </summary>
public sealed record CategoryEncoding(CategoryEncodingMethod Method, IReadOnlyList<string>? Levels, int? Buckets)
{
    /// <summary>The value every category outside the kept levels becomes.</summary>
    public const string Other = "__other__";

    /// <summary>
    /// The bucket of a value: FNV-1a over its UTF-8 bytes, which unlike <see cref="string.GetHashCode()"/> is the same in
    /// every process, so training and serving agree.
    /// </summary>
    public static string Bucket(string value, int buckets)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return $"__bucket_{hash % (uint)buckets}";
    }
}
