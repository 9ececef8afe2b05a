using System.Globalization;

namespace Layercake.Shared.Lineage;

/// <summary>
/// The time a build's outputs carry instead of the clock, as reproducible-builds' <c>SOURCE_DATE_EPOCH</c>
/// prescribes: that variable when set, otherwise the committer time of a clean checkout's HEAD. Two clones of
/// one commit therefore stamp the same time into a manifest and an image. A tree with uncommitted changes is
/// not a commit's source, so it gets the clock.
/// </summary>
internal static class SourceDate
{
    public const string Variable = "SOURCE_DATE_EPOCH";

    public static async Task<DateTimeOffset> ResolveAsync(string directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } epoch)
        {
            return long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new FormatException($"{Variable}='{epoch}' is not a number of seconds since 1970-01-01 UTC.");
        }

        var git = await GitInfo.ReadAsync(directory, cancellationToken).ConfigureAwait(false);
        if (git.Dirty || git.CommitTime is not { } committed)
        {
            return time.GetUtcNow();
        }

        return committed;
    }
}
