using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.TestSupport;

/// <summary>Pipelines and prepared data built from YAML and CSV text, for tests.</summary>
public static class Specs
{
    public const string File = "/tmp/test-pipeline.yaml";

    /// <summary>
    /// Loads a fixture; one the loader accepts must satisfy pipelines/pipeline.schema.json as well, so every valid
    /// fixture in the tests is also a check that the schema does not reject what the loader takes.
    /// </summary>
    public static PipelineSpec Parse(string yaml)
    {
        var spec = PipelineSpecLoader.Parse(yaml, File, "/tmp/test-data.csv");
        var errors = PipelineSchema.Errors(yaml);
        Assert.That(errors, Is.Empty, "the loader accepts this pipeline, so the schema should too:\n" + yaml);
        return spec;
    }

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
