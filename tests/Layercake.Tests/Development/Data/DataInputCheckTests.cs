using Layercake.Development.Data;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Data;

/// <summary>The training table's reachability, checked before any stage: a miss names the pipeline line and the file meant.</summary>
[Category(Categories.Unit)]
public sealed class DataInputCheckTests
{
    private const string Yaml = "name: churn\ntask: binary\nlabel: churned\ndata: data/churn.csv\n";

    [Test]
    public void A_data_path_written_from_the_repository_root_names_the_line_and_the_path_meant()
    {
        using var dir = new TempDirectory();
        dir.Write("data/churn.csv", "churned,x\nyes,1\n");
        var pipeline = dir.Write("pipelines/churn.yaml", Yaml);

        var error = Assert.Throws<PipelineSpecException>(() => DataInputCheck.Ensure(Load(pipeline, null)))!;

        Assert.That(error.Message, Is.EqualTo(
            $"{pipeline}:4:7: 'data': 'data/churn.csv' not found (paths are relative to the pipeline file; did you mean '../data/churn.csv'?)"));
    }

    [Test]
    public void A_near_miss_of_a_file_name_is_suggested_and_an_existing_file_passes()
    {
        using var dir = new TempDirectory();
        dir.Write("pipelines/data/churn-2024.csv", "churned,x\nyes,1\n");
        var pipeline = dir.Write("pipelines/churn.yaml", Yaml.Replace("data/churn.csv", "data/churn-2042.csv", StringComparison.Ordinal));

        var error = Assert.Throws<PipelineSpecException>(() => DataInputCheck.Ensure(Load(pipeline, null)))!;

        Assert.That(error.Problem, Does.EndWith("did you mean 'data/churn-2024.csv'?)"));
        File.WriteAllText(pipeline, Yaml.Replace("data/churn.csv", "data/churn-2024.csv", StringComparison.Ordinal));
        Assert.DoesNotThrow(() => DataInputCheck.Ensure(Load(pipeline, null)));
    }

    [Test]
    public void A_data_file_given_for_the_run_says_what_it_is_relative_to()
    {
        using var dir = new TempDirectory();
        dir.Write("data/churn.csv", "churned,x\nyes,1\n");
        var pipeline = dir.Write("pipelines/churn.yaml", Yaml);

        var error = Assert.Throws<DataFileNotFoundException>(() => DataInputCheck.Ensure(Load(pipeline, dir.File("data/chrun.csv"))))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Explanation, Does.StartWith("a path given for a run is relative to the folder the build runs in"));
            Assert.That(error.Explanation, Does.EndWith($"did you mean '{Path.GetRelativePath(Directory.GetCurrentDirectory(), dir.File("data/churn.csv"))}'?"));
        });
    }

    [Test]
    public void A_query_whose_connection_variable_is_not_set_names_its_line()
    {
        using var dir = new TempDirectory();
        var variable = "LAYERCAKE_TEST_DB_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var yaml = "name: churn\ntask: binary\nlabel: churned\nsource:\n  kind: sqlite\n  connection_env: " + variable + "\n  query: SELECT 1\n";
        var pipeline = dir.Write("pipelines/churn.yaml", yaml);
        var nearName = variable[..^1] + "X";
        Environment.SetEnvironmentVariable(nearName, "Data Source=x.db");
        try
        {
            var error = Assert.Throws<PipelineSpecException>(() => DataInputCheck.Ensure(Load(pipeline, null)))!;

            Assert.That(error.Message, Is.EqualTo(
                $"{pipeline}:6:19: 'source.connection_env': {variable} is not set; set it to the sqlite connection string (did you mean '{nearName}', which is set?)"));
            Environment.SetEnvironmentVariable(variable, "Data Source=x.db");
            Assert.DoesNotThrow(() => DataInputCheck.Ensure(Load(pipeline, null)));
        }
        finally
        {
            Environment.SetEnvironmentVariable(nearName, null);
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private static PipelineSpec Load(string pipeline, string? dataOverride) =>
        PipelineSpecLoader.Parse(File.ReadAllText(pipeline), pipeline, dataOverride);
}
