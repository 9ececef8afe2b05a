using Layercake.Development.Data;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.TestSupport;

/// <summary>Pipelines and prepared data built from YAML and CSV text, for tests.</summary>
public static class Specs
{
    public const string File = "/tmp/test-pipeline.yaml";

    public static PipelineSpec Parse(string yaml) => PipelineSpecLoader.Parse(yaml, File, "/tmp/test-data.csv");

    public static PreparedData Prepare(string yaml, string csv)
    {
        var spec = Parse(yaml);
        var raw = CsvTableReader.Parse(System.Text.Encoding.UTF8.GetBytes(csv), "/tmp/test-data.csv");
        return new DataPreparer(NullLogger.Instance).Prepare(spec, raw, "sha");
    }

    public static async Task<PreparedData> PreparePenguinsAsync(string? extraYaml = null)
    {
        var yaml = $"name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\n{extraYaml}";
        var spec = PipelineSpecLoader.Parse(yaml, File, Repository.PenguinsCsv);
        return await new DataPreparer(NullLogger.Instance).PrepareAsync(spec, "sha", CancellationToken.None);
    }
}
