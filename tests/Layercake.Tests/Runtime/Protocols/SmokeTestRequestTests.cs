using System.Text.Json;
using Docker.DotNet;
using Layercake.Deployment.SmokeTests;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.OpenInference;
using Layercake.Serving.Protocols.Responses;
using Layercake.Shared.IO;
using Layercake.Tests.Serving;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Runtime.Protocols;

/// <summary>The two ends of the protocol on a real package: the smoke test's request as the server parses it, the server's response as the smoke test reads it.</summary>
[Category(Categories.Unit)]
public sealed class SmokeTestRequestTests
{
    [Test]
    public async Task The_smoke_tests_request_is_parsed_by_the_server_into_the_sample_rows()
    {
        var version = await TestPackages.PenguinsAsync();
        var samples = await PackageJson.ReadAsync<SampleSet>(Path.Combine(version.Directory, "samples.json"), CancellationToken.None);
        using var model = LoadedModel.Load(version.Directory);
        var body = SmokeTester.OpenInferenceBody(version.Manifest, samples);

        var request = OpenInferenceJsonReader.Read(System.Text.Encoding.UTF8.GetBytes(body), model, maxRows: 1000);

        Assert.That(request.Id, Is.EqualTo("layercake-smoke-test"));
        Assert.That(request.Rows.RowCount, Is.EqualTo(samples.Rows.Count));
        for (var i = 0; i < samples.Rows.Count; i++)
        {
            foreach (var input in version.Manifest.Signature.Inputs)
            {
                var sent = samples.Rows[i].Inputs.GetValueOrDefault(input.Column);
                var expected = sent is JsonElement { ValueKind: JsonValueKind.Number } number ? number.GetDouble()
                    : sent is JsonElement { ValueKind: JsonValueKind.String } text ? text.GetString()
                    : sent is JsonElement ? null : sent;
                Assert.That(request.Rows.Value(i, input.Column), Is.EqualTo(expected), $"row {i} {input.Column}");
            }
        }
    }

    [Test]
    public async Task The_servers_response_is_read_by_output_name()
    {
        var version = await TestPackages.PenguinsAsync();
        using var model = LoadedModel.Load(version.Directory);
        var classes = model.Signature.Classes;
        var scored = new ScoredBatch(2, [classes[0], classes[1]], [classes.Select((_, c) => c == 0 ? 1f : 0f).ToArray(), classes.Select((_, c) => c == 1 ? 1f : 0f).ToArray()], null);

        var response = (JsonBytesResult)ResponseWriter.Infer(model, "r-9", scored, null);
        using var document = JsonDocument.Parse(response.Body);
        var outputs = OpenInferenceReader.OutputData(document.RootElement);

        Assert.Multiple(() =>
        {
            Assert.That(outputs[OutputNames.Label].EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { classes[0], classes[1] }));
            Assert.That(outputs[OutputNames.Probabilities].GetArrayLength(), Is.EqualTo(2 * classes.Count));
            Assert.That(document.RootElement.GetProperty(OpenInferenceFields.Id).GetString(), Is.EqualTo("r-9"));
        });
    }

    [Test]
    public async Task The_smoke_test_passes_against_the_server_in_process()
    {
        var version = await TestPackages.PenguinsAsync();
        var samples = await PackageJson.ReadAsync<SampleSet>(Path.Combine(version.Directory, "samples.json"), CancellationToken.None);
        await using var server = await ServerFixture.StartAsync(maxRows: 1000, maxBodyBytes: 1024 * 1024);
        // CheckAsync talks HTTP only; the client is for starting containers, which this test does not.
        using var docker = new DockerClientBuilder().Build();

        await new SmokeTester(docker, NullLogger.Instance, TimeProvider.System).CheckAsync(server.Http, server.Http.BaseAddress!, "in-process", version.Manifest, samples, CancellationToken.None);
    }
}
