using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Shared.IO;

namespace Layercake.Development.Data;

/// <summary>
/// Writes and reads the Prepare stage's model-ready rows: <c>prepared.csv</c> (one column per tensor plus
/// the label, floats written round-trippable) and <c>preprocessing.json</c>.
/// </summary>
internal static class PreparedDataStore
{
    public const string DataFile = "prepared.csv";
    public const string MetadataFile = "preprocessing.json";
    private const string LabelHeader = "__label__";

    public static async Task WriteAsync(TrainingData data, string directory, CancellationToken cancellationToken)
    {
        var columns = Columns(data.Preprocessing);
        await using (var writer = new StreamWriter(Path.Combine(directory, DataFile)))
        await using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var (name, _) in columns)
            {
                csv.WriteField(name);
            }

            csv.WriteField(LabelHeader);
            await csv.NextRecordAsync().ConfigureAwait(false);
            for (var row = 0; row < data.RowCount; row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var (name, numeric) in columns)
                {
                    csv.WriteField(numeric ? data.Features.Numbers[name][row].ToString("R", CultureInfo.InvariantCulture) : data.Features.Strings[name][row]);
                }

                csv.WriteField(data.Labels is { } labels ? labels[row] : data.Targets![row].ToString("R", CultureInfo.InvariantCulture));
                await csv.NextRecordAsync().ConfigureAwait(false);
            }
        }

        var metadata = new PreparedMetadata(data.Task, data.Classes, data.Preprocessing, data.RowCount);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, MetadataFile), PackageJson.Serialize(metadata), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<TrainingData> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var metadata = await PackageJson.ReadAsync<PreparedMetadata>(Path.Combine(directory, MetadataFile), cancellationToken).ConfigureAwait(false);
        var columns = Columns(metadata.Preprocessing);
        var numbers = columns.Where(c => c.Numeric).ToDictionary(c => c.Name, _ => new float[metadata.Rows]);
        var strings = columns.Where(c => !c.Numeric).ToDictionary(c => c.Name, _ => new string[metadata.Rows]);
        var labels = new string[metadata.Rows];

        using var reader = new StreamReader(Path.Combine(directory, DataFile));
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = true });
        await csv.ReadAsync().ConfigureAwait(false);
        csv.ReadHeader();
        var row = 0;
        while (await csv.ReadAsync().ConfigureAwait(false))
        {
            foreach (var (name, numeric) in columns)
            {
                var field = csv.GetField(name) ?? "";
                if (numeric)
                {
                    numbers[name][row] = float.Parse(field, CultureInfo.InvariantCulture);
                }
                else
                {
                    strings[name][row] = field;
                }
            }

            labels[row] = csv.GetField(LabelHeader) ?? "";
            row++;
        }

        if (row != metadata.Rows)
        {
            throw new InvalidDataException($"{Path.Combine(directory, DataFile)} has {row} rows; {MetadataFile} says {metadata.Rows}. Run the Prepare stage again.");
        }

        var features = new PreparedBatch(metadata.Rows, numbers, strings);
        return metadata.Task == ModelTask.Regression
            ? new TrainingData(metadata.Task, metadata.Preprocessing, features, null, labels.Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray(), metadata.Classes)
            : new TrainingData(metadata.Task, metadata.Preprocessing, features, labels, null, metadata.Classes);
    }

    private static (string Name, bool Numeric)[] Columns(PreprocessingSpec spec) =>
        spec.Features.SelectMany(f => f.Kind is FeatureKind.Categorical or FeatureKind.Text
                ? new[] { (f.Tensor, false) }
                : f.NumericTensors().Select(t => (t, true)).ToArray())
            .Concat(spec.Derived.Select(d => (d.Tensor, true)))
            .ToArray();
}
