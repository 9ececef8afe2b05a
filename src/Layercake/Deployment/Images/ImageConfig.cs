using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Layercake.Deployment.Images;

/// <summary>
/// An image's configuration as Docker's image specification (v1.2) writes it, serialised in a fixed key order.
/// The engine names a loaded image by the sha256 of exactly these bytes, so they hold nothing of the build's
/// moment: <see cref="Created"/> is the package's creation time (the source's date), not the clock's.
/// </summary>
internal sealed record ImageConfig(
    string User,
    int ExposedPort,
    IReadOnlyList<string> Environment,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> HealthCheck,
    HealthCheckTiming HealthCheckTiming,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Created)
{
    public byte[] ToJson(IReadOnlyList<ImageLayer> layers, IReadOnlyList<string> history)
    {
        if (history.Count != layers.Count)
        {
            throw new ArgumentException($"{layers.Count} layers need {layers.Count} history lines, not {history.Count}.", nameof(history));
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            var created = Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            json.WriteStartObject();
            json.WriteString("architecture", "amd64");
            json.WriteStartObject("config");
            json.WriteString("User", User);
            json.WriteStartObject("ExposedPorts");
            json.WriteStartObject($"{ExposedPort.ToString(CultureInfo.InvariantCulture)}/tcp");
            json.WriteEndObject();
            json.WriteEndObject();
            WriteArray(json, "Env", Environment);
            WriteArray(json, "Entrypoint", Entrypoint);
            json.WriteStartObject("Healthcheck");
            WriteArray(json, "Test", HealthCheck);
            json.WriteNumber("Interval", HealthCheckTiming.Interval.Ticks * 100);
            json.WriteNumber("Timeout", HealthCheckTiming.Timeout.Ticks * 100);
            json.WriteNumber("StartPeriod", HealthCheckTiming.StartPeriod.Ticks * 100);
            json.WriteNumber("Retries", HealthCheckTiming.Retries);
            json.WriteEndObject();
            json.WriteStartObject("Labels");
            foreach (var (key, value) in Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("created", created);
            json.WriteStartArray("history");
            foreach (var line in history)
            {
                json.WriteStartObject();
                json.WriteString("created", created);
                json.WriteString("created_by", line);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("os", "linux");
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            WriteArray(json, "diff_ids", layers.Select(l => l.DiffId).ToArray());
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The id an engine gives an image with this configuration: the sha256 of its bytes.</summary>
    public static string IdOf(byte[] json) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(json));

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
