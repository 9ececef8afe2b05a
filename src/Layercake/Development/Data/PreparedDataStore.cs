using System.Globalization;
using CsvHelper;
using Layercake.Development.Data.Tables;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Shared.IO;

namespace Layercake.Development.Data;

/// <summary>
/// Writes and reads the Prepare stage's model-ready rows: <c>prepared.csv</c> (one column per tensor plus
/// the label, floats written round-trippable; for people and tools to read) and <c>preprocessing.json</c>; the stages
/// after Prepare read the rows back from <see cref="TypedTableStore"/>'s columnar file.
/// </summary>
internal static class PreparedDataStore
{
    public const string DataFile = "prepared.csv";
    public const string MetadataFile = "preprocessing.json";
    private const string LabelHeader = "__label__";

    public static async Task WriteAsync(TrainingData data, string directory, CancellationToken cancellationToken)
    {
        var columns = Columns(data.Preprocessing);
        // Each column's array found once, and records written synchronously on a worker: an await per record and a
        // dictionary lookup per cell cost more than the writing itself at millions of rows.
        var cells = columns.Select(c => c.Numeric ? (object)data.Features.Numbers[c.Name] : data.Features.Strings[c.Name]).ToArray();
        await Task.Run(() =>
        {
            using var writer = new StreamWriter(Path.Combine(directory, DataFile), false, new System.Text.UTF8Encoding(false), 1 << 16);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var (name, _) in columns)
            {
                csv.WriteField(name);
            }

            csv.WriteField(LabelHeader);
            csv.NextRecord();
            for (var row = 0; row < data.RowCount; row++)
            {
                if ((row & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                foreach (var column in cells)
                {
                    csv.WriteField(column is float[] numbers ? numbers[row].ToString("R", CultureInfo.InvariantCulture)
                        : ((string[])column)[row]);
                }

                csv.WriteField(data.Labels is { } labels ? labels[row] : data.Targets![row].ToString("R", CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        }, cancellationToken).ConfigureAwait(false);

        var metadata = new PreparedMetadata(data.Task, data.Classes, data.Preprocessing, data.RowCount);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, MetadataFile), PackageJson.Serialize(metadata), cancellationToken)
            .ConfigureAwait(false);
    }

    public static async Task<TrainingData> ReadAsync(string directory, CancellationToken cancellationToken) =>
        (await ReadWithTableAsync(directory, cancellationToken).ConfigureAwait(false)).Training;

    /// <summary>
    /// The model-ready rows, cleaned again from the validated table in <c>typed.bin</c> with the fitted rules in
    /// <c>preprocessing.json</c> (as Prepare made them, and far quicker than parsing <c>prepared.csv</c>), and that table.
    /// </summary>
    public static async Task<(TrainingData Training, TypedTable Typed)> ReadWithTableAsync(string directory,
        CancellationToken cancellationToken)
    {
        var metadata = await PackageJson.ReadAsync<PreparedMetadata>(Path.Combine(directory, MetadataFile), cancellationToken)
            .ConfigureAwait(false);
        var typed = await TypedTableStore.ReadAsync(directory, cancellationToken).ConfigureAwait(false);
        if (typed.RowCount != metadata.Rows)
        {
            throw new InvalidDataException(
                $"{Path.Combine(directory, TypedTableStore.DataFile)} has {typed.RowCount} rows; {MetadataFile} says {metadata.Rows}. " +
                $"Run the Prepare stage again.");
        }

        return (TrainingData.Clean(metadata.Task, metadata.Preprocessing, typed), typed);
    }

    private static (string Name, bool Numeric)[] Columns(PreprocessingSpec spec) =>
        spec.Features.SelectMany(f => f.Kind is FeatureKind.Categorical or FeatureKind.Text
                ? new[] { (f.Tensor, false) }
                : f.NumericTensors().Select(t => (t, true)).ToArray())
            .Concat(spec.Derived.Select(d => (d.Tensor, true)))
            .ToArray();
}
