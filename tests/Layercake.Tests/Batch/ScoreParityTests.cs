using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Layercake.Batch;
using Layercake.Deployment.History;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Tests.Serving;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Batch;

/// <summary>
/// The goal of batch scoring: a row scores the same in Score as over HTTP from the server (label equal, probabilities
/// and values within 1e-6), for a package of every pipeline in pipelines/, on the pipeline's own data.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ScoreParityTests
{
    private const int Rows = 300;

    public static IEnumerable<string> Pipelines() => PipelinePackages.Names();

    [TestCaseSource(nameof(Pipelines))]
    public async Task A_row_scores_the_same_in_Score_as_through_the_server(string pipeline)
    {
        var (version, spec) = await PipelinePackages.PackageAsync(pipeline);
        using var temp = new TempDirectory();
        var lines = await File.ReadAllLinesAsync(spec.DataPath);
        var input = temp.Write("input.csv", string.Join('\n', lines.Take(Rows + 1)) + "\n");
        var output = temp.File("scored.jsonl");

        var report = await Stage(version, temp).RunAsync(
            new ScoreRequest(version.Pipeline, version.Version.ToString(), null, input, output, null,
                RejectLimit.None) { ChunkRows = 37 }, null, CancellationToken.None);
        var scored = (await File.ReadAllLinesAsync(output)).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

        await using var server = await ServerFixture.StartAsync(maxRows: 10_000, maxBodyBytes: 16 << 20, package: version);
        var (status, body) = await server.PostAsync("invocations", Records(version.Manifest.Signature, lines[0], lines.Skip(1).Take(Rows)));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        var served = JsonDocument.Parse(body).RootElement.GetProperty("predictions").EnumerateArray().ToArray();

        Assert.That(report.Rejects, Is.Zero, "the server scored every row, so Score must too");
        Assert.That(scored, Has.Length.EqualTo(served.Length));
        for (var i = 0; i < served.Length; i++)
        {
            AssertSame(version.Manifest.Signature, scored[i], served[i], i);
        }
    }

    private static void AssertSame(ModelSignature signature, JsonElement scored, JsonElement served, int row)
    {
        if (signature.Task == ModelTask.Regression)
        {
            Assert.That(scored.GetProperty("prediction").GetDouble(), Is.EqualTo(served.GetDouble()).Within(1e-6), $"row {row}");
            return;
        }

        Assert.That(scored.GetProperty("prediction").GetString(), Is.EqualTo(served.GetProperty("label").GetString()), $"row {row}");
        foreach (var name in signature.Classes)
        {
            Assert.That(scored.GetProperty("probability_" + name).GetDouble(),
                Is.EqualTo(served.GetProperty("probabilities").GetProperty(name).GetDouble()).Within(1e-6), $"row {row}, class {name}");
        }
    }

    /// <summary>
    /// The CSV rows as MLflow records of the model's features: a numeric cell as a JSON number, others as strings,
    /// empty as null.
    /// </summary>
    private static string Records(ModelSignature signature, string header, IEnumerable<string> rows)
    {
        var names = header.Split(',');
        var json = new StringBuilder("{\"dataframe_records\":[");
        var first = true;
        foreach (var row in rows)
        {
            var cells = Cells(row);
            json.Append(first ? "{" : ",{");
            first = false;
            json.AppendJoin(',', signature.Inputs.Select(input =>
            {
                var cell = cells[Array.IndexOf(names, input.Column)];
                var value = cell.Length == 0 ? "null"
                    : input.Kind == FeatureKind.Numeric ? double.Parse(cell, CultureInfo.InvariantCulture).ToString("R",
                        CultureInfo.InvariantCulture)
                    : JsonSerializer.Serialize(cell);
                return $"{JsonSerializer.Serialize(input.Column)}:{value}";
            }));
            json.Append('}');
        }

        return json.Append("]}").ToString();
    }

    /// <summary>The cells of a CSV line of these data files (quoted cells hold no commas or quotes of their own).</summary>
    private static string[] Cells(string line) => line.Split(',').Select(c => c.Trim('"')).ToArray();

    internal static ScoreStage Stage(RegisteredVersion version, TempDirectory temp)
    {
        var registry = new LocalModelRegistry(Path.GetDirectoryName(Path.GetDirectoryName(version.Directory))!, NullLogger.Instance,
            TimeProvider.System);
        var recorder = new ScoreRecorder(new RunStore(temp.File("runs.db")), NullLogger.Instance, TimeProvider.System);
        return new ScoreStage(registry, new LocalDeploymentHistory(temp.File("history"), TimeProvider.System), recorder,
            NullLogger.Instance, TimeProvider.System);
    }
}
