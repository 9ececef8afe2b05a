namespace Layercake.Development.Data.Tables;

/// <summary>
/// Validated data: numbers parsed (null where missing), strings kept (null where missing), the label
/// per row, and the line each row came from. Rows without a label are already dropped.
/// </summary>
public sealed record TypedTable
{
    public required string File { get; init; }
    /// <summary>Where rows came from, for errors; the file itself unless the source says more.</summary>
    public RowLocator Locator { get => _locator ?? File; init => _locator = value; }
    private readonly RowLocator? _locator;
    public required TableSchema Schema { get; init; }
    public required IReadOnlyList<int> Lines { get; init; }
    public required IReadOnlyDictionary<string, double?[]> Numbers { get; init; }
    public required IReadOnlyDictionary<string, string?[]> Strings { get; init; }
    /// <summary>Classification: the label of each row.</summary>
    public string[]? Labels { get; init; }
    /// <summary>Regression: the target of each row.</summary>
    public double[]? Targets { get; init; }
    /// <summary>Classification: the classes in model order; for binary, negative first then positive.</summary>
    public required IReadOnlyList<string> Classes { get; init; }
    public required int DroppedForMissingLabel { get; init; }

    public int RowCount => Lines.Count;

    /// <summary>The given rows, in that order.</summary>
    public TypedTable Subset(int[] rows) => this with
    {
        Lines = rows.Select(r => Lines[r]).ToArray(),
        Numbers = Numbers.ToDictionary(c => c.Key, c => rows.Select(r => c.Value[r]).ToArray()),
        Strings = Strings.ToDictionary(c => c.Key, c => rows.Select(r => c.Value[r]).ToArray()),
        Labels = Labels is { } labels ? rows.Select(r => labels[r]).ToArray() : null,
        Targets = Targets is { } targets ? rows.Select(r => targets[r]).ToArray() : null,
        DroppedForMissingLabel = 0,
    };

    /// <summary>Row <paramref name="row"/> as the raw values a caller would send: numbers, strings or null.</summary>
    public IReadOnlyDictionary<string, object?> RawRow(int row)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, column) in Numbers)
        {
            values[name] = column[row];
        }

        foreach (var (name, column) in Strings)
        {
            values[name] = column[row];
        }

        return values;
    }
}
