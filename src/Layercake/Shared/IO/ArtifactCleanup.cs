namespace Layercake.Shared.IO;

/// <summary>What <see cref="ArtifactCleaner"/> deleted: the names of the entries directly under <see cref="Directory"/>.</summary>
/// <param name="Existed">False when there was no such folder, so nothing to clean.</param>
public sealed record ArtifactCleanup(string Directory, bool Existed, IReadOnlyList<string> Deleted);
