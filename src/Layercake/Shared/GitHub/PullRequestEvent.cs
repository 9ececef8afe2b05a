using System.Text.Json;

namespace Layercake.Shared.GitHub;

/// <summary>Reads the pull request number from the event file GitHub Actions names in <c>GITHUB_EVENT_PATH</c>.</summary>
internal static class PullRequestEvent
{
    /// <summary>
    /// <c>pull_request.number</c> from the event JSON, or null when there is no event file or the event is not
    /// about a pull request (a push, a schedule). A file that is not JSON throws, naming the file.
    /// </summary>
    public static async Task<int?> ReadNumberAsync(string? eventPath, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(eventPath) || !File.Exists(eventPath))
        {
            return null;
        }

        await using var stream = File.OpenRead(eventPath);
        try
        {
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("pull_request", out var pullRequest)
                && pullRequest.ValueKind == JsonValueKind.Object
                && pullRequest.TryGetProperty("number", out var number)
                && number.TryGetInt32(out var value)
                    ? value
                    : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{eventPath}: the GitHub event file is not valid JSON: {ex.Message}", ex);
        }
    }
}
