namespace Layercake.Runtime.Scoring.Managed.Kernels.Tokens;

/// <summary>One node of TfIdfVectorizer's n-gram trie: the id of the n-gram ending here (0 for none) and its continuations.</summary>
internal sealed class NgramTrie
{
    public int Id { get; set; }
    public Dictionary<long, NgramTrie> Children { get; } = [];

    /// <summary>The trie of the pool's n-grams of sizes min to max; ids count every n-gram of the pool, loaded or not.</summary>
    public static NgramTrie Build(long[] pool, long[] counts, int minGram, int maxGram)
    {
        var root = new NgramTrie();
        var id = 1;
        for (var i = 0; i < counts.Length; i++)
        {
            var size = i + 1;
            var start = (int)counts[i];
            var end = i + 1 < counts.Length ? (int)counts[i + 1] : pool.Length;
            var grams = (end - start) / size;
            if (size < minGram || size > maxGram)
            {
                id += grams;
                continue;
            }

            for (var g = 0; g < grams; g++)
            {
                var node = root;
                for (var k = 0; k < size; k++)
                {
                    var token = pool[start + (g * size) + k];
                    if (!node.Children.TryGetValue(token, out var next))
                    {
                        next = new NgramTrie();
                        node.Children[token] = next;
                    }

                    node = next;
                }

                node.Id = id++;
            }
        }

        return root;
    }
}
