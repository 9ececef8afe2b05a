namespace Layercake.Management.Releases;

/// <summary>A package file to upload as a release asset.</summary>
internal sealed record ReleaseFile(string Name, string Path, long Size);
