namespace Layercake.Runtime.Scoring.Managed.Kernels.Tokens;

/// <summary>
/// TfIdfVectorizer over integer tokens, as ONNX Runtime counts: an n-gram trie built from the pool (ids numbered across
/// every gram size, only the sizes between min and max loaded), each start position walked down the trie, unigrams counted
/// once however many skip distances; TF, IDF or TFIDF weighting of the counts.
/// </summary>
internal sealed class TfIdfVectorizerKernel(Operand input, int output, NgramTrie trie, long[] indexes, float[] weights, string mode,
    int minGram, int maxGram, int maxSkip) : Kernel
{
    private readonly int _width = (int)indexes.Max() + 1;

    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var x = input.Ints(frame);
        var y = frame.Write<float>(output, _width);
        Array.Clear(y, 0, frame.Rows * _width);
        for (var r = 0; r < frame.Rows && width > 0 && trie.Children.Count > 0; r++)
        {
            Count(x.AsSpan(r * width, width), y.AsSpan(r * _width, _width));
        }

        for (var i = 0; i < frame.Rows * _width; i++)
        {
            y[i] = mode switch
            {
                "IDF" => y[i] > 0 ? (weights.Length > 0 ? weights[i % _width] : 1f) : 0f,
                "TFIDF" when weights.Length > 0 => y[i] * weights[i % _width],
                _ => y[i],
            };
        }
    }

    private void Count(ReadOnlySpan<long> row, Span<float> counts)
    {
        var startSize = minGram;
        for (var skip = 1; skip <= maxSkip + 1; skip++)
        {
            for (var start = 0; start < row.Length; start++)
            {
                if (start + (skip * (startSize - 1)) >= row.Length)
                {
                    break;
                }

                var node = trie;
                for (int size = 1, at = start; node.Children.Count > 0 && size <= maxGram && at < row.Length; size++, at += skip)
                {
                    if (!node.Children.TryGetValue(row[at], out var hit))
                    {
                        break;
                    }

                    if (size >= startSize && hit.Id != 0)
                    {
                        counts[(int)indexes[hit.Id - 1]] += 1f;
                    }

                    node = hit;
                }
            }

            if (startSize == 1 && ++startSize > maxGram)
            {
                break;
            }
        }
    }
}
