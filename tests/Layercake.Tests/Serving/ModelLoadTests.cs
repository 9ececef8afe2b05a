using Layercake.Runtime.Manifest;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;
using Layercake.Serving.Observability;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>
/// What the server loads at start: the package's pre-optimised model when it has one, model.onnx for a package
/// from before it, and a timeline of the load's parts for the start-up log line.
/// </summary>
[Category(Categories.Integration)]
public sealed class ModelLoadTests
{
    [Test]
    public async Task The_pre_optimised_model_is_served_when_the_package_has_it_and_each_part_of_the_load_is_timed()
    {
        var package = await TestPackages.PenguinsAsync();
        var startup = new StartupTimeline();

        using var model = LoadedModel.Load(package.Directory, startup, ScorerNames.OnnxRuntime);

        Assert.That(model.ModelFile, Is.EqualTo(Path.Combine(package.Directory, ModelFiles.OptimizedOnnx)));
        Assert.That(startup.Phases.Select(p => p.Name), Is.EquivalentTo(new[] { "manifest", "onnxruntime library load", "onnxruntime environment", "session (pre-optimised model)" }));
        Assert.That(startup.Describe(), Does.Contain("session (pre-optimised model)"));
    }

    [Test]
    public async Task A_package_whose_parity_record_names_the_managed_scorer_is_served_by_it_without_loading_onnx_runtime()
    {
        var package = await TestPackages.PenguinsAsync();
        var startup = new StartupTimeline();

        using var model = LoadedModel.Load(package.Directory, startup);

        Assert.That(package.Manifest.Scorer?.Serves, Is.EqualTo(ScorerNames.Managed));
        Assert.That(model.Scorer.Name, Is.EqualTo(ScorerNames.Managed));
        Assert.That(model.ScorerReason, Does.Contain("out-of-fold rows like ONNX Runtime"));
        Assert.That(startup.Phases.Select(p => p.Name), Is.EquivalentTo(new[] { "manifest", "managed scorer" }));
    }

    [Test]
    public async Task A_package_without_a_parity_record_is_served_by_onnx_runtime_and_the_reason_says_so()
    {
        var package = await TestPackages.PenguinsAsync();
        using var older = new TempDirectory();
        foreach (var file in Directory.GetFiles(package.Directory))
        {
            File.Copy(file, older.File(Path.GetFileName(file)));
        }

        var manifest = package.Manifest with { Scorer = null };
        File.WriteAllText(older.File("manifest.json"), Layercake.Shared.IO.PackageJson.Serialize(manifest));

        using var model = LoadedModel.Load(older.Path);

        Assert.That(model.Scorer.Name, Is.EqualTo(ScorerNames.OnnxRuntime));
        Assert.That(model.ScorerReason, Does.Contain("no parity record"));
    }

    [Test]
    public async Task A_package_without_the_optimised_model_is_served_from_model_onnx_and_predicts_the_same()
    {
        var package = await TestPackages.PenguinsAsync();
        using var older = new TempDirectory();
        foreach (var file in Directory.GetFiles(package.Directory).Where(f => Path.GetFileName(f) != ModelFiles.OptimizedOnnx))
        {
            File.Copy(file, older.File(Path.GetFileName(file)));
        }

        using var current = LoadedModel.Load(package.Directory);
        using var fallback = LoadedModel.Load(older.Path);
        var samples = Layercake.Shared.IO.PackageJson.Deserialize<SampleSet>(File.ReadAllText(older.File("samples.json")), "samples.json");
        var batch = fallback.Preprocessor.Transform(samples.Rows.Select(r => r.Inputs).ToList());

        Assert.That(fallback.ModelFile, Is.EqualTo(older.File(ModelFiles.Onnx)));
        Assert.That(fallback.Scorer.Score(batch).Labels, Is.EqualTo(current.Scorer.Score(batch).Labels));
    }
}
