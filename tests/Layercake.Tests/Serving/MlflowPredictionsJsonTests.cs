using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Responses;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>
/// MLflow's predictions written as prepared bytes must be byte for byte what <see cref="Utf8JsonWriter"/> writes, over
/// floats from every part of float32's range and labels that need escaping.
/// </summary>
[Category(Categories.Unit)]
public sealed class MlflowPredictionsJsonTests
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static LoadedModel _model = null!;

    [OneTimeSetUp]
    public async Task Load() => _model = LoadedModel.Load((await TestPackages.PenguinsAsync()).Directory);

    [OneTimeTearDown]
    public void Unload() => _model.Dispose();

    /// <summary>The response as Utf8JsonWriter writes it value by value, which is what the server wrote before.</summary>
    private static string Expected(ScoredBatch scored, IReadOnlyList<string> classes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartArray("predictions");
            for (var i = 0; i < scored.RowCount; i++)
            {
                if (scored.Values is { } values)
                {
                    w.WriteNumberValue(values[i]);
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("label", scored.Labels![i]);
                w.WriteStartObject("probabilities");
                for (var c = 0; c < classes.Count; c++)
                {
                    w.WriteNumber(classes[c], scored.Probabilities![i][c]);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("request_id", "id-1");
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Actual(ScoredBatch scored) =>
        System.Text.Encoding.UTF8.GetString(((JsonBytesResult)ResponseWriter.Mlflow(_model, scored, "id-1")).Body.Span);

    private static float AnyFinite(Random random)
    {
        while (true)
        {
            var value = random.Next(4) == 0 ? (float)random.NextDouble() : BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            if (float.IsFinite(value))
            {
                return value;
            }
        }
    }

    [Test]
    public void Classifier_predictions_are_byte_for_byte_the_writers()
    {
        var random = new Random(43);
        var classes = _model.Signature.Classes;
        string[] odd = ["Adélie \"the first\"", "Gentoo\\n", "<script>", "\u0001"];
        for (var round = 0; round < 20; round++)
        {
            var rows = random.Next(1, 1500);
            var labels = Enumerable.Range(0, rows).Select(_ => random.Next(20) == 0 ? odd[random.Next(odd.Length)] : new string(classes[random.Next(classes.Count)].AsSpan())).ToArray();
            var probabilities = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, classes.Count).Select(_ => AnyFinite(random)).ToArray()).ToArray();
            var scored = new ScoredBatch(rows, labels, probabilities, null);

            Assert.That(Actual(scored), Is.EqualTo(Expected(scored, classes)));
        }
    }

    [Test]
    public void Regression_predictions_are_byte_for_byte_the_writers()
    {
        var random = new Random(7);
        float[] edges = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-5f, 1e-4f, 1e7f, 1e8f, 123456789f, 0.1f, 1f / 3];
        var values = edges.Concat(Enumerable.Range(0, 200_000).Select(_ => AnyFinite(random))).ToArray();
        var scored = new ScoredBatch(values.Length, null, null, values);

        Assert.That(Actual(scored), Is.EqualTo(Expected(scored, [])));
    }

    [Test]
    public void A_non_finite_prediction_is_refused_rather_than_written_as_something_that_is_not_json()
    {
        var scored = new ScoredBatch(1, null, null, [float.NaN]);

        Assert.That(() => ResponseWriter.Mlflow(_model, scored, "id-1"), Throws.InvalidOperationException);
    }
}
