using System.Text.RegularExpressions;

namespace Layercake.Batch.Tables;

/// <summary>
/// A table's name, with an optional schema, checked to be a plain identifier so that it is safe to put in SQL, and
/// quoted as both databases quote identifiers.
/// </summary>
internal sealed partial record TableName(string? Schema, string Name)
{
    public static TableName Parse(string text)
    {
        var match = Pattern().Match(text);
        return match.Success
            ? new TableName(match.Groups["schema"].Success ? match.Groups["schema"].Value : null, match.Groups["name"].Value)
            : throw new ArgumentException(
                $"'{text}' is not a table name; expected letters, digits and '_' (not starting with a digit, at most 48), "
                + "optionally after a schema and a dot.");
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The schema-qualified, quoted name of this table, or of another table in its schema.</summary>
    public string Quoted(string? name = null) => (Schema is null ? "" : Quote(Schema) + ".") + Quote(name ?? Name);

    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";

    // 48 leaves room under PostgreSQL's 63-byte identifiers for the staging table's suffix.
    [GeneratedRegex("^(?:(?<schema>[A-Za-z_][A-Za-z0-9_]{0,49})\\.)?(?<name>[A-Za-z_][A-Za-z0-9_]{0,47})$")]
    private static partial Regex Pattern();
}
