using System.Formats.Tar;
using Layercake.Deployment.Images;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Images;

/// <summary>The model layer carries the pre-optimised model when the package has it, and builds without it for older packages.</summary>
[Category(Categories.Unit)]
public sealed class ModelLayerTests
{
    [Test]
    public async Task The_optimised_model_is_in_the_model_layer_when_the_package_has_it()
    {
        using var package = Package(withOptimized: true);

        var names = await NamesAsync(await ServingImageContent.ModelLayerAsync(package.Path, CancellationToken.None));

        Assert.That(names, Is.EqualTo(new[] { "model/", "model/MODEL_CARD.md", "model/manifest.json", "model/model.onnx", "model/model.optimized.onnx" }));
    }

    [Test]
    public async Task A_package_from_before_the_optimised_model_still_makes_a_model_layer()
    {
        using var package = Package(withOptimized: false);

        var names = await NamesAsync(await ServingImageContent.ModelLayerAsync(package.Path, CancellationToken.None));

        Assert.That(names, Is.EqualTo(new[] { "model/", "model/MODEL_CARD.md", "model/manifest.json", "model/model.onnx" }));
    }

    [Test]
    public void A_package_without_model_onnx_is_refused_naming_the_file()
    {
        using var package = Package(withOptimized: true);
        File.Delete(package.File("model.onnx"));

        var error = Assert.ThrowsAsync<FileNotFoundException>(() => ServingImageContent.ModelLayerAsync(package.Path, CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain(package.Path).And.Contain("model.onnx"));
    }

    private static TempDirectory Package(bool withOptimized)
    {
        var package = new TempDirectory();
        package.Write("model.onnx", "onnx");
        package.Write("manifest.json", "{}");
        package.Write("MODEL_CARD.md", "# card");
        package.Write("samples.json", "[]");
        if (withOptimized)
        {
            package.Write("model.optimized.onnx", "optimised onnx");
        }

        return package;
    }

    private static async Task<List<string>> NamesAsync(ImageLayer layer)
    {
        var names = new List<string>();
        await using var reader = new TarReader(new MemoryStream(layer.Bytes));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }
}
