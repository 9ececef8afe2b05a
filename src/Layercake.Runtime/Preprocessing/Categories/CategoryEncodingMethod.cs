using System.Text.Json.Serialization;

namespace Layercake.Runtime.Preprocessing.Categories;

/// <summary>How a categorical column too wide for plain one-hot encoding is bounded before it is one-hot encoded.</summary>
public enum CategoryEncodingMethod
{
    /// <summary>The most frequent training values kept, every other value (unseen ones included) one bucket.</summary>
    [JsonStringEnumMemberName("top_k")]
    TopK,

    /// <summary>Each value hashed into one of a fixed number of buckets.</summary>
    Hash,
}
