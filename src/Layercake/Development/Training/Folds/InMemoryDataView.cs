using Microsoft.ML;
using Microsoft.ML.Data;

namespace Layercake.Development.Training.Folds;

/// <summary>
/// An ML.NET view over columns held in memory, restricted to a subset of rows. It lets folds and the
/// final model train on exactly the rows chosen, without writing a file per fold.
/// </summary>
internal sealed class InMemoryDataView : IDataView
{
    private readonly Delegate[] _getters;
    private readonly int[] _rows;

    private InMemoryDataView(DataViewSchema schema, Delegate[] getters, int[] rows)
    {
        Schema = schema;
        _getters = getters;
        _rows = rows;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.Length;

    public InMemoryDataView Subset(int[] rows) => new(Schema, _getters, rows.Select(r => _rows[r]).ToArray());

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [new Cursor(this)];

    public sealed class Builder
    {
        private readonly DataViewSchema.Builder _schema = new();
        private readonly List<Delegate> _getters = [];

        public Builder AddSingle(string name, float[] values)
        {
            _schema.AddColumn(name, NumberDataViewType.Single);
            _getters.Add((Func<int, float>)(row => values[row]));
            return this;
        }

        public Builder AddBoolean(string name, bool[] values)
        {
            _schema.AddColumn(name, BooleanDataViewType.Instance);
            _getters.Add((Func<int, bool>)(row => values[row]));
            return this;
        }

        public Builder AddText(string name, string[] values)
        {
            _schema.AddColumn(name, TextDataViewType.Instance);
            _getters.Add((Func<int, ReadOnlyMemory<char>>)(row => values[row].AsMemory()));
            return this;
        }

        public InMemoryDataView Build(int rowCount) =>
            new(_schema.ToSchema(), [.. _getters], Enumerable.Range(0, rowCount).ToArray());
    }

    private sealed class Cursor(InMemoryDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= view._rows.Length)
            {
                _position = view._rows.Length;
                return false;
            }

            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (view._getters[column.Index] is not Func<int, TValue> read)
            {
                throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
            }

            return (ref TValue value) => value = read(view._rows[(int)_position]);
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)view._rows[(int)_position], 0);
    }
}
