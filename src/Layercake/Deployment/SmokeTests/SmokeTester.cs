using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.SmokeTests;

/// <summary>
/// Infrastructure validation before anything ships (TFX's InfraValidator): start the image, wait for
/// readiness, send every sample row through both protocols, and require the served predictions to match
/// the package's expected outputs within its parity tolerance. The container is removed either way.
/// </summary>
internal sealed class SmokeTester(DockerClient docker, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    public async Task<SmokeTestResult> RunAsync(string image, ModelManifest manifest, SampleSet samples,
        CancellationToken cancellationToken)
    {
        var name = $"layercake-smoke-{manifest.Pipeline[..Math.Min(20, manifest.Pipeline.Length)]}-{Guid.NewGuid():N}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var started = time.GetTimestamp();
        await using var run = await ContainerRun.StartAsync(docker, image, name, cancellationToken).ConfigureAwait(false);
        await run.WaitUntilReadyAsync(http, ReadyTimeout, time, cancellationToken).ConfigureAwait(false);
        var ready = time.GetElapsedTime(started);
        logger.LogInformation("{Image} ready on 127.0.0.1:{Port} after {Seconds:F2} s", image, run.Port, ready.TotalSeconds);

        await CheckAsync(http, run.BaseAddress, image, manifest, samples, cancellationToken).ConfigureAwait(false);
        return new SmokeTestResult(image, samples.Rows.Count, ready);
    }

    /// <summary>Sends the sample rows through both protocols to a running server and compares the answers with the package.</summary>
    public async Task CheckAsync(HttpClient http, Uri baseAddress, string image, ModelManifest manifest, SampleSet samples,
        CancellationToken cancellationToken)
    {
        var openInference =
            await PostAsync(http, new Uri(baseAddress, OpenInferencePaths.Infer(manifest.Pipeline, manifest.Version ?? "")),
            OpenInferenceBody(manifest, samples), "application/json", cancellationToken).ConfigureAwait(false);
        var mismatches = Compare(manifest, samples, ReadOpenInference(openInference, manifest), "open inference v2");
        var mlflow = await PostAsync(http, new Uri(baseAddress, "invocations"), MlflowBody(samples), "application/json", cancellationToken)
            .ConfigureAwait(false);
        mismatches.AddRange(Compare(manifest, samples, ReadMlflow(mlflow, manifest), "mlflow"));

        if (mismatches.Count > 0)
        {
            throw new SmokeTestFailedException(
                $"{image} served predictions that differ from samples.json ({samples.ToleranceKind} tolerance {samples.Tolerance}):\n" +
                $"{string.Join('\n', mismatches.Take(10))}");
        }

        logger.LogInformation("Smoke test passed: {Rows} sample rows through both protocols match the package", samples.Rows.Count);
    }

    private static async Task<JsonDocument> PostAsync(HttpClient http, Uri uri, string body, string contentType,
        CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SmokeTestFailedException($"POST {uri.AbsolutePath} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text);
    }

    internal static string OpenInferenceBody(ModelManifest manifest, SampleSet samples)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            OpenInferenceWriter.WriteRequestStart(w, "layercake-smoke-test");
            foreach (var input in manifest.Signature.Inputs)
            {
                OpenInferenceWriter.WriteTensorStart(w, input.Column, input.DataType, [samples.Rows.Count]);
                OpenInferenceWriter.WriteTensorData(w);
                foreach (var row in samples.Rows)
                {
                    WriteValue(w, row.Inputs.GetValueOrDefault(input.Column));
                }

                OpenInferenceWriter.WriteTensorEnd(w);
            }

            OpenInferenceWriter.WriteEnd(w);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string MlflowBody(SampleSet samples)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("dataframe_records");
            foreach (var row in samples.Rows)
            {
                w.WriteStartObject();
                foreach (var (column, value) in row.Inputs)
                {
                    w.WritePropertyName(column);
                    WriteValue(w, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonElement element:
                element.WriteTo(w);
                break;
            case double d:
                w.WriteNumberValue(d);
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private sealed record Served(string? Label, float[]? Probabilities, float? Value);

    private static List<Served> ReadOpenInference(JsonDocument document, ModelManifest manifest)
    {
        using (document)
        {
            IReadOnlyDictionary<string, JsonElement> outputs;
            try
            {
                outputs = OpenInferenceReader.OutputData(document.RootElement);
            }
            catch (OpenInferenceFormatException ex)
            {
                throw new SmokeTestFailedException($"open inference v2: the response is not an infer response: {ex.Message}");
            }

            if (manifest.Signature.Task == ModelTask.Regression)
            {
                return outputs[OutputNames.Value].EnumerateArray().Select(v => new Served(null, null, v.GetSingle())).ToList();
            }

            var classes = manifest.Signature.Classes.Count;
            var probabilities = outputs[OutputNames.Probabilities].EnumerateArray().Select(p => p.GetSingle()).ToArray();
            return outputs[OutputNames.Label].EnumerateArray()
                .Select((l, i) => new Served(l.GetString(), probabilities[(i * classes)..((i + 1) * classes)], null)).ToList();
        }
    }

    private static List<Served> ReadMlflow(JsonDocument document, ModelManifest manifest)
    {
        using (document)
        {
            return document.RootElement.GetProperty("predictions").EnumerateArray()
                .Select(p => manifest.Signature.Task == ModelTask.Regression
                ? new Served(null, null, p.GetSingle())
                : new Served(p.GetProperty("label").GetString(),
                    manifest.Signature.Classes.Select(c => p.GetProperty("probabilities").GetProperty(c).GetSingle()).ToArray(), null))
                    .ToList();
        }
    }

    private static List<string> Compare(ModelManifest manifest, SampleSet samples, IReadOnlyList<Served> served, string protocol)
    {
        var problems = new List<string>();
        if (served.Count != samples.Rows.Count)
        {
            problems.Add($"{protocol}: {served.Count} predictions for {samples.Rows.Count} rows");
            return problems;
        }

        for (var i = 0; i < served.Count; i++)
        {
            var expected = samples.Rows[i];
            if (expected.Value is { } value)
            {
                var difference = Math.Abs(served[i].Value!.Value - value) / Math.Max(1, Math.Abs(value));
                if (difference > samples.Tolerance)
                {
                    problems.Add($"{protocol} row {i}: value {served[i].Value} expected {value}");
                }

                continue;
            }

            if (served[i].Label != expected.Label)
            {
                problems.Add($"{protocol} row {i}: label '{served[i].Label}' expected '{expected.Label}'");
            }

            for (var c = 0; c < manifest.Signature.Classes.Count; c++)
            {
                var want = expected.Probabilities![manifest.Signature.Classes[c]];
                if (Math.Abs(served[i].Probabilities![c] - want) > samples.Tolerance)
                {
                    problems.Add($"{protocol} row {i}: P({manifest.Signature.Classes[c]}) = {served[i].Probabilities![c]} expected {want}");
                }
            }
        }

        return problems;
    }
}
