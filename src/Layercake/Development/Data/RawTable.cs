namespace Layercake.Development.Data;

/// <summary>A CSV file as text: the header, each record's fields, and the line each record starts on.</summary>
internal sealed record RawTable(string File, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, IReadOnlyList<int> Lines)
{
    public int IndexOf(string column)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (Header[i] == column)
            {
                return i;
            }
        }

        return -1;
    }
}
