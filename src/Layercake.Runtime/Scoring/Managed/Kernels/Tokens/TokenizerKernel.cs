using System.Text;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Tokens;

/// <summary>
/// com.microsoft.Tokenizer with single-character separators, as ONNX Runtime splits: the text between separators,
/// pieces shorter than mincharnum dropped except the last, optional start (0x02) and end (0x03) marks, every row padded
/// to the call's longest; no tokens anywhere gives zero elements per row.
/// </summary>
internal sealed class TokenizerKernel(Operand input, int output, string separators, int minChars, bool mark, string pad) : Kernel
{
    [ThreadStatic] private static List<string>[]? _rows;

    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var x = frame.Read<string>(input.Slot);
        var n = frame.Rows * width;
        if (_rows is null || _rows.Length < n)
        {
            _rows = [.. Enumerable.Range(0, Math.Max(n, 1)).Select(_ => new List<string>())];
        }

        var most = 0;
        for (var i = 0; i < n; i++)
        {
            Split(x[i], _rows[i]);
            most = Math.Max(most, _rows[i].Count);
        }

        var tokens = most == 0 ? 0 : most + (mark ? 2 : 0);
        var y = frame.Write<string>(output, width * tokens);
        for (var i = 0; i < n && tokens > 0; i++)
        {
            var at = i * tokens;
            if (mark)
            {
                y[at++] = "\u0002";
            }

            foreach (var token in _rows[i])
            {
                y[at++] = token;
            }

            for (var p = _rows[i].Count; p < most; p++)
            {
                y[at++] = pad;
            }

            if (mark)
            {
                y[at] = "\u0003";
            }
        }
    }

    private void Split(string text, List<string> into)
    {
        into.Clear();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !separators.Contains(text[i], StringComparison.Ordinal))
            {
                continue;
            }

            var length = i - start;
            // The piece after the last separator is kept whatever its length (ONNX Runtime's tail rule).
            var last = i == text.Length;
            if (length > 0 && (last || Runes(text.AsSpan(start, length)) >= minChars))
            {
                into.Add(text.Substring(start, length));
            }

            start = i + 1;
        }
    }

    private static int Runes(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
