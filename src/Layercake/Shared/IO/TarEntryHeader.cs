namespace Layercake.Shared.IO;

/// <summary>What <see cref="StreamingTar"/> knows of an entry before its data: path inside the archive, size, last write, and whether it is
/// a regular file.</summary>
internal sealed record TarEntryHeader(string Name, long Size, DateTimeOffset Modified, bool IsFile);
