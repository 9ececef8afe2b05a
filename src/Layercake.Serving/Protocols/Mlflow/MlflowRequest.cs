using Layercake.Runtime.Preprocessing;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols.Mlflow;

/// <summary>
/// MLflow's scoring protocol (<c>POST /invocations</c>) in CSV with a header; its JSON is <see cref="MlflowJsonReader"/>'s.
/// </summary>
internal static class MlflowRequest
{
    public static RawColumns ParseCsv(string text, LoadedModel model, int maxRows)
    {
        var lines = CsvLines.Parse(text);
        if (lines.Count == 0)
        {
            throw RequestException.BadRequest("text/csv: the body is empty; expected a header row and data rows");
        }

        var rows = new FeatureRows(model, maxRows);
        rows.Declare(lines.Count - 1);
        try
        {
            return CsvRows(lines, rows);
        }
        catch (RequestException ex) when (ex.Declares(rows.Declared))
        {
            throw; // never reached: the filter only records the rows
        }
    }

    private static RawColumns CsvRows(IReadOnlyList<CsvLines.Record> lines, FeatureRows rows)
    {
        var header = lines[0].Fields.Select((name, i) => rows.Resolve(name, $"text/csv header column {i + 1}")).ToArray();
        var repeated = header.GroupBy(h => h.Input.Column).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw RequestException.BadRequest($"text/csv header: feature '{repeated.Key}' is given twice");
        }
        for (var r = 1; r < lines.Count; r++)
        {
            var record = lines[r];
            if (record.Fields.Count != header.Length)
            {
                throw RequestException.BadRequest(
                    $"text/csv line {record.Line}: {record.Fields.Count} fields, the header has {header.Length}");
            }

            for (var c = 0; c < header.Length; c++)
            {
                rows.SetText(r - 1, header[c], record.Fields[c], FieldPath.Csv(record.Line, header[c].Input.Column));
            }
        }

        return rows.Complete("text/csv");
    }
}
