using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

// PORT=18093 DATA=data/penguins.csv PredictionEnginePeer
// Trains penguins' pipeline (missing values replaced, one-hot categories, normalised, SDCA maximum entropy) on the
// CSV, then serves MLflow's dataframe_records at POST /invocations with a pool of PredictionEngines (an engine is not
// thread-safe), answering {label, probabilities} like the model server.
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 8080;
var ml = new MLContext(seed: 42);
var data = ml.Data.LoadFromTextFile<Penguin>(Environment.GetEnvironmentVariable("DATA") ?? "data/penguins.csv", separatorChar: ',', hasHeader: true, allowQuoting: true);
data = ml.Data.FilterByCustomPredicate<Penguin>(data, row => string.IsNullOrEmpty(row.Species));
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Penguin.Species))
    .Append(ml.Transforms.ReplaceMissingValues([new("BeakLength"), new("BeakDepth"), new("FlipperLength"), new("BodyMass")]))
    .Append(ml.Transforms.Categorical.OneHotEncoding([new("IslandKey", "Island"), new("SexKey", "Sex")]))
    .Append(ml.Transforms.Concatenate("Features", "IslandKey", "SexKey", "BeakLength", "BeakDepth", "FlipperLength", "BodyMass"))
    .Append(ml.Transforms.NormalizeMinMax("Features"))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
var model = pipeline.Fit(data);
var slots = default(VBuffer<ReadOnlyMemory<char>>);
model.GetOutputSchema(data.Schema)["Score"].GetSlotNames(ref slots);
var classes = slots.DenseValues().Select(c => c.ToString()).ToArray();
var pool = new ConcurrentBag<PredictionEngine<Penguin, Prediction>>();

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, port));
var app = builder.Build();
app.MapGet("/", () => Results.Text("ok"));
app.MapPost("/invocations", async (HttpContext context) =>
{
    var request = await JsonSerializer.DeserializeAsync<Request>(context.Request.Body);
    var engine = pool.TryTake(out var pooled) ? pooled : ml.Model.CreatePredictionEngine<Penguin, Prediction>(model);
    try
    {
        var predictions = request!.Records.Select(r =>
        {
            var scored = engine.Predict(r);
            return new Answer(scored.PredictedLabel, classes.Select((c, i) => (c, scored.Score[i])).ToDictionary(x => x.c, x => x.Item2));
        }).ToArray();
        return Results.Json(new Response(predictions));
    }
    finally
    {
        pool.Add(engine);
    }
});
app.Run();

internal sealed class Penguin
{
    [LoadColumn(0)] public string Species { get; set; } = "";
    [LoadColumn(1)] public string Island { get; set; } = "";
    [LoadColumn(2), JsonPropertyName("Beak Length (mm)"), JsonConverter(typeof(NullAsNaN))] public float BeakLength { get; set; }
    [LoadColumn(3), JsonPropertyName("Beak Depth (mm)"), JsonConverter(typeof(NullAsNaN))] public float BeakDepth { get; set; }
    [LoadColumn(4), JsonPropertyName("Flipper Length (mm)"), JsonConverter(typeof(NullAsNaN))] public float FlipperLength { get; set; }
    [LoadColumn(5), JsonPropertyName("Body Mass (g)"), JsonConverter(typeof(NullAsNaN))] public float BodyMass { get; set; }
    [LoadColumn(6)] public string Sex { get; set; } = "";
}

internal sealed class Prediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}

internal sealed record Request([property: JsonPropertyName("dataframe_records")] Penguin[] Records);
internal sealed record Answer([property: JsonPropertyName("label")] string Label, [property: JsonPropertyName("probabilities")] Dictionary<string, float> Probabilities);
internal sealed record Response([property: JsonPropertyName("predictions")] Answer[] Predictions);

/// <summary>A missing number (null) is NaN to ML.NET, which its ReplaceMissingValues then fills.</summary>
internal sealed class NullAsNaN : JsonConverter<float>
{
    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();

    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    public override bool HandleNull => true;
}
