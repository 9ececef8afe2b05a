using System.Text.Json;

namespace Layercake.Development;

/// <summary>Reads the data warnings the Prepare stage left in <c>warnings.json</c>, as lines for the training report.</summary>
internal static class PrepareWarnings
{
    public const string FileName = "warnings.json";

    public static async Task<IReadOnlyList<string>> ReadMessagesAsync(string prepareFolder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(prepareFolder, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        await using var stream = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var items = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray()
            : document.RootElement.TryGetProperty("warnings", out var list) ? list.EnumerateArray() : default;
        return items.Select(item => item.ValueKind == JsonValueKind.String
                ? item.GetString() ?? ""
                : item.TryGetProperty("message", out var message) ? message.GetString() ?? "" : item.ToString())
            .Where(m => m.Length > 0)
            .ToArray();
    }
}
