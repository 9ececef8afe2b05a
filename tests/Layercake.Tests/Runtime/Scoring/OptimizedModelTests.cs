using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Scoring;

/// <summary>
/// The graph optimisation done once at package time: the package carries the optimised model, listed with its hash,
/// written the same bytes every time, and it scores like the model it came from when loaded without optimisation.
/// </summary>
[Category(Categories.Integration)]
public sealed class OptimizedModelTests
{
    [Test]
    public async Task A_package_carries_the_optimised_model_with_its_hash_in_the_manifest()
    {
        var package = await TestPackages.PenguinsAsync();
        var optimized = Path.Combine(package.Directory, ModelFiles.OptimizedOnnx);

        Assert.That(File.Exists(optimized), Is.True);
        Assert.That(package.Manifest.Files[ModelFiles.OptimizedOnnx], Is.EqualTo(await Sha256.OfFileAsync(optimized, CancellationToken.None)));
    }

    [Test]
    public async Task Optimising_the_same_model_twice_gives_the_same_bytes_as_the_package_holds()
    {
        var package = await TestPackages.PenguinsAsync();
        using var directory = new TempDirectory();

        ScoringSessionOptions.WriteOptimized(Path.Combine(package.Directory, ModelFiles.Onnx), directory.File("first.onnx"));
        ScoringSessionOptions.WriteOptimized(Path.Combine(package.Directory, ModelFiles.Onnx), directory.File("second.onnx"));

        var packaged = await File.ReadAllBytesAsync(Path.Combine(package.Directory, ModelFiles.OptimizedOnnx));
        Assert.That(await File.ReadAllBytesAsync(directory.File("first.onnx")), Is.EqualTo(await File.ReadAllBytesAsync(directory.File("second.onnx"))));
        Assert.That(await File.ReadAllBytesAsync(directory.File("first.onnx")), Is.EqualTo(packaged));
    }

    [Test]
    public async Task The_optimised_model_without_optimisation_scores_like_model_onnx_with_it()
    {
        var package = await TestPackages.PenguinsAsync();
        var samples = PackageJson.Deserialize<SampleSet>(await File.ReadAllTextAsync(Path.Combine(package.Directory, "samples.json")), "samples.json");
        var batch = new FeaturePreprocessor(package.Manifest.Preprocessing).Transform(samples.Rows.Select(r => r.Inputs).ToList());

        using var original = new OnnxModelScorer(Path.Combine(package.Directory, ModelFiles.Onnx), package.Manifest.Signature);
        using var optimized = new OnnxModelScorer(Path.Combine(package.Directory, ModelFiles.OptimizedOnnx), package.Manifest.Signature, preOptimized: true);
        var expected = original.Score(batch);
        var actual = optimized.Score(batch);

        Assert.That(actual.Labels, Is.EqualTo(expected.Labels));
        for (var i = 0; i < expected.RowCount; i++)
        {
            Assert.That(actual.Probabilities![i], Is.EqualTo(expected.Probabilities![i]).Within(1e-6), $"row {i}");
        }
    }

    [Test]
    public void A_file_that_is_not_a_model_is_an_error_naming_it()
    {
        using var directory = new TempDirectory();
        var broken = directory.Write("model.onnx", "this is not an ONNX model");

        var error = Assert.Throws<InvalidDataException>(() => ScoringSessionOptions.WriteOptimized(broken, directory.File("optimized.onnx")))!;

        Assert.That(error.Message, Does.StartWith(broken).And.Contain("cannot optimise"));
    }
}
