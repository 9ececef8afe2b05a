using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Packaging;
using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Categories;
using Layercake.Runtime.Scoring;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Microsoft.ML;

namespace Layercake.Tests.Development.Packaging;

/// <summary>
/// A 3,000-level categorical and a timestamp column through Prepare, Train and Package: the categorical is bounded,
/// the date becomes its parts, and ONNX Runtime agrees with ML.NET, also on values training never kept or saw.
/// </summary>
[Category(Categories.Integration)]
public sealed class BoundedEncodingParityTests
{
    [Test]
    public async Task A_3000_level_column_is_bounded_and_unseen_and_rare_values_score_alike_in_onnx_and_mlnet()
    {
        var package = await TestPackages.WideAsync();
        var manifest = await PackageJson.ReadAsync<ModelManifest>(Path.Combine(package.Directory, "manifest.json"), CancellationToken.None);
        var product = manifest.Preprocessing.Features.Single(f => f.Column == "product");
        var when = manifest.Preprocessing.Features.Single(f => f.Column == "when");

        // One row per kind of value: a kept level, a level seen once in training (not kept), one never seen.
        IReadOnlyDictionary<string, object?>[] rows =
        [
            new Dictionary<string, object?> { ["when"] = "2024-05-06T11:00:00-05:00", ["product"] = "product-7", ["price"] = 100.0 },
            new Dictionary<string, object?> { ["when"] = "2024-05-06T11:00:00-05:00", ["product"] = "product-2999", ["price"] = 100.0 },
            new Dictionary<string, object?> { ["when"] = "2024-05-06T11:00:00-05:00", ["product"] = "no-such-product", ["price"] = 100.0 },
            new Dictionary<string, object?> { ["when"] = null, ["product"] = "no-such-product", ["price"] = 100.0 },
        ];
        var batch = new FeaturePreprocessor(manifest.Preprocessing).Transform(rows);
        var ml = new MLContext(1);
        var transformer = ml.Model.Load(Path.Combine(package.Directory, "model.zip"), out var schema);
        var data = new TrainingData(manifest.Signature.Task, manifest.Preprocessing, batch, null, null, manifest.Signature.Classes);
        var expected = MlNetScorer.Score(new TrainedModel(ml, transformer, schema), data, manifest.Signature.Classes);
        using var onnx = new OnnxModelScorer(Path.Combine(package.Directory, "model.onnx"), manifest.Signature);
        var actual = onnx.Score(batch);

        Assert.Multiple(() =>
        {
            Assert.That(product.Encoding!.Method, Is.EqualTo(CategoryEncodingMethod.TopK), "3,000 levels exceed the default max_categories");
            Assert.That(product.Encoding.Levels, Has.Count.EqualTo(100));
            Assert.That(batch.Strings["product"], Is.EqualTo(new[] { "product-7", CategoryEncoding.Other, CategoryEncoding.Other, CategoryEncoding.Other }));
            Assert.That(when.NumericTensors(), Has.Count.EqualTo(7), "day_of_week, hour and month as sine and cosine, is_weekend as it is");
            Assert.That(manifest.Signature.Inputs.Single(i => i.Column == "when").DataType, Is.EqualTo("BYTES"), "a date is sent as text");
            Assert.That(manifest.Parity.Passed, "Package's own parity check on the sample rows");
            Assert.That(ParityChecker.Compare(manifest.Signature.Task, expected, actual).Passed, "ONNX Runtime against ML.NET on these rows");
            Assert.That(actual.Probabilities![2], Is.EqualTo(actual.Probabilities[1]), "a rare and an unseen value are the same '__other__'");
        });
    }

    [Test]
    public async Task The_bounded_width_is_what_the_model_one_hot_encodes()
    {
        var package = await TestPackages.WideAsync();
        var prepared = await PreparedDataStore.ReadAsync(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(package.Directory)!)!)!, "artifacts", "wide", "prepare"), CancellationToken.None);

        Assert.That(prepared.Features.Strings["product"].Distinct().Count(), Is.EqualTo(101), "100 kept levels and '__other__'");
    }
}
