using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Internal;
using Layercake.Pipelines.Scoring;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines;

/// <summary>
/// Reads the <c>scoring:</c> section with located errors, like the rest of the loader (beside it, since
/// <c>Internal/</c> is full).
/// </summary>
internal static partial class ScoringSpecReader
{
    public static readonly string[] Keys = ["input", "query", "output", "table", "replace", "database", "keep", "max_rejects"];
    public static readonly string[] DatabaseKeys = ["kind", "connection_env"];
    private static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };

    private static readonly Dictionary<string, QuerySourceKind> Kinds = new()
    {
        ["postgres"] = QuerySourceKind.Postgres, ["sqlite"] = QuerySourceKind.Sqlite,
    };

    public static ScoringSpec Read(YamlSection top, QuerySource? source)
    {
        if (top.OptionalSection("scoring", Keys) is not { } section)
        {
            return ScoringSpec.None;
        }

        var directory = Path.GetDirectoryName(top.File)!;
        OneOf(section, "input", "query");
        OneOf(section, "output", "table");
        var database = ReadDatabase(section) ?? source;
        foreach (var needsDatabase in new[] { "query", "table" })
        {
            if (database is null && section.Get(needsDatabase) is { } node)
            {
                throw section.Error(node, $"scoring.{needsDatabase}",
                    "needs a database: declare scoring.database {kind, connection_env} or a source: block");
            }
        }

        if (section.Get("replace") is { } replaceNode && !section.Has("table"))
        {
            throw section.Error(replaceNode, "scoring.replace", "applies to a scoring.table, not to a file output");
        }

        return new ScoringSpec
        {
            Input = section.OptionalString("input") is { } input ? Path.GetFullPath(Path.Combine(directory, input)) : null,
            Query = NonEmpty(section, "query"),
            Output = section.OptionalString("output") is { } output ? Path.GetFullPath(Path.Combine(directory, output)) : null,
            Table = section.OptionalString("table") is { } table ? CheckTable(section, table) : null,
            Replace = section.OptionalEnum("replace", false, Booleans),
            Database = database,
            Keep = ReadKeep(section),
            MaxRejects = ReadMaxRejects(section),
        };
    }

    private static void OneOf(YamlSection section, string first, string second)
    {
        if (section.Has(first) && section.Has(second))
        {
            throw section.Error(section.Get(second)!, $"scoring.{second}", $"give either scoring.{first} or scoring.{second}, not both");
        }
    }

    private static QuerySource? ReadDatabase(YamlSection section)
    {
        if (section.OptionalSection("database", DatabaseKeys) is not { } database)
        {
            return null;
        }

        var kind = database.ParseEnum(database.Get("kind") ?? throw database.Error(database.Node, "scoring.database.kind",
            "is required (postgres or sqlite)"), "scoring.database.kind", Kinds);
        var variable = database.RequireString("connection_env");
        if (!VariableName().IsMatch(variable))
        {
            throw database.Error(database.Get("connection_env")!, "scoring.database.connection_env",
                "expected the NAME of an environment variable that holds the connection string, never the connection string itself");
        }

        return new QuerySource(kind, variable, "") { ConnectionEnvLocation = YamlSection.Locate(database.Get("connection_env")!) };
    }

    private static string? NonEmpty(YamlSection section, string key)
    {
        var text = section.OptionalString(key)?.Trim();
        return text is { Length: 0 } ? throw section.Error(section.Get(key)!, $"scoring.{key}", "is empty") : text;
    }

    private static string CheckTable(YamlSection section, string table) => TableName().IsMatch(table) ? table
        : throw section.Error(section.Get("table")!, "scoring.table",
            $"'{table}' is not a table name; expected letters, digits and '_' (at most 48), optionally after a schema and a dot");

    private static IReadOnlyList<string>? ReadKeep(YamlSection section)
    {
        if (section.OptionalSequence("keep") is not { } list)
        {
            return null;
        }

        return list.Children.Count == 0
            ? throw section.Error(list, "scoring.keep", "expected at least one column name")
            : [.. list.Children.Select((c, i) => section.ScalarText(c, $"scoring.keep[{i}]"))];
    }

    private static string? ReadMaxRejects(YamlSection section)
    {
        if (section.Get("max_rejects") is not { } node)
        {
            return null;
        }

        var text = section.ScalarText(node, "scoring.max_rejects").Trim();
        var valid = text.EndsWith('%')
            ? double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        return valid ? text : throw section.Error(node, "scoring.max_rejects",
            $"expected a number of rows (10) or a share of them (0.5%), found '{text}'");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    [GeneratedRegex("^(?:[A-Za-z_][A-Za-z0-9_]{0,49}\\.)?[A-Za-z_][A-Za-z0-9_]{0,47}$")]
    private static partial Regex TableName();
}
