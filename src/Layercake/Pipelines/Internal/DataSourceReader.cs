using System.Text.RegularExpressions;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Locations;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads <c>data:</c> with its optional <c>format:</c>, or a <c>source:</c> block; exactly one of the two.</summary>
internal static partial class DataSourceReader
{
    private static readonly string[] SourceKeys = ["kind", "connection_env", "query"];

    private static readonly Dictionary<string, DataFormat> Formats = new()
    {
        ["csv"] = DataFormat.Csv, ["parquet"] = DataFormat.Parquet, ["jsonl"] = DataFormat.JsonLines,
    };

    private static readonly Dictionary<string, QuerySourceKind> Kinds = new()
    {
        ["postgres"] = QuerySourceKind.Postgres, ["sqlite"] = QuerySourceKind.Sqlite,
    };

    public static (string DataPath, DataFormat Format, QuerySource? Source, DataReference? Given) Read(YamlSection top,
        string? dataOverride)
    {
        var directory = Path.GetDirectoryName(top.File)!;
        var declared = top.Get("format") is { } formatNode ? top.ParseEnum(formatNode, "format", Formats) : (DataFormat?)null;
        var sourceNode = top.Get("source");
        if (dataOverride is null && sourceNode is not null)
        {
            var source = QuerySourceOf(top, sourceNode, declared);
            return (Path.GetFullPath(top.File) + "#source", DataFormat.Csv, source, null);
        }

        var given = dataOverride is not null
            ? new DataReference(dataOverride, null)
            : top.Get("data") is { } dataNode
                ? new DataReference(top.RequireString("data"), YamlSection.Locate(dataNode))
                : throw new PipelineSpecException(top.File, top.Location, "data",
                    "is required (a CSV, Parquet or JSON Lines file), unless a source: block gives a query");
        var path = Path.GetFullPath(given.Location is null ? given.Text : Path.Combine(directory, given.Text));
        if (declared is { } format)
        {
            return (path, format, null, given);
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" or ".pq" => (path, DataFormat.Parquet, null, given),
            ".jsonl" or ".ndjson" => (path, DataFormat.JsonLines, null, given),
            _ => (path, DataFormat.Csv, null, given),
        };
    }

    private static QuerySource QuerySourceOf(YamlSection top, YamlNode sourceNode, DataFormat? declared)
    {
        if (top.Has("data"))
        {
            throw top.Error(sourceNode, "source", "give either data: (a file) or source: (a query), not both");
        }

        if (declared is not null)
        {
            throw top.Error(top.Get("format")!, "format", "applies to a data: file, not to a source: query");
        }

        var section = top.Section(sourceNode, "source", SourceKeys);
        var kind =
            section.ParseEnum(section.Get("kind") ?? throw section.Error(sourceNode, "source.kind", "is required (postgres or sqlite)"),
            "source.kind", Kinds);
        var variable = section.RequireString("connection_env");
        if (!VariableName().IsMatch(variable))
        {
            throw section.Error(section.Get("connection_env")!, "source.connection_env",
                "expected the NAME of an environment variable that holds the connection string (letters, digits and '_'), never the " +
                    "connection string itself");
        }

        var query = section.RequireString("query").Trim();
        if (query.Length == 0)
        {
            throw section.Error(section.Get("query")!, "source.query", "is empty; expected a SELECT statement");
        }

        // The query lives in the pipeline file; lineage points there.
        return new QuerySource(kind, variable, query) { ConnectionEnvLocation = YamlSection.Locate(section.Get("connection_env")!) };
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
