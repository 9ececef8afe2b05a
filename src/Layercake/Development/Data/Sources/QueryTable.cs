namespace Layercake.Development.Data.Sources;

/// <summary>A query's result as a text table, the sha256 of its content, and the server that answered.</summary>
internal sealed record QueryTable(RawTable Table, string ContentSha256, string ServerVersion);
