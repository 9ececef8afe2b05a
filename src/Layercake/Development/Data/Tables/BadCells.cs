using Layercake.Development.Data.Tables;
namespace Layercake.Development.Data.Tables;

/// <summary>
/// Gathers the cells a table's validation rejects, so one run reports them all in file order instead of the first
/// one of whichever column happened to be checked first. Columns are checked one after another, each top to bottom,
/// so keeping each column's first <see cref="Shown"/> cells is enough to know the table's first <see cref="Shown"/>.
/// </summary>
internal sealed class BadCells(RowLocator where)
{
    public const int Shown = 20;

    private readonly Dictionary<int, List<BadCell>> _byColumn = [];
    private int _total;

    public void Add(BadCell cell)
    {
        _total++;
        if (!_byColumn.TryGetValue(cell.Column, out var cells))
        {
            _byColumn[cell.Column] = cells = [];
        }

        if (cells.Count < Shown)
        {
            cells.Add(cell);
        }
    }

    /// <summary>Throws one error naming the first bad cell, listing the next ones and counting them all; nothing when none.</summary>
    public void ThrowIfAny()
    {
        if (_total == 0)
        {
            return;
        }

        var first = _byColumn.Values.SelectMany(c => c).OrderBy(c => c.Line).ThenBy(c => c.Column).Take(Shown).ToArray();
        throw new DataValidationException(where, first, _total);
    }
}
