using System.Buffers;
using System.Text;
using System.Text.Json;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Scoring;
using Layercake.Serving.PredictionLog;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.PredictionLog;

/// <summary>The line's names: the server writes exactly these, in the order Monitor's reader relies on.</summary>
[Category(Categories.Unit)]
public sealed class PredictionLogFieldsTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 9, 41, 43, TimeSpan.Zero);

    private static string Name(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    private static string[] TopLevelNames(PredictionLogEntry entry, string[] classes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        PredictionLogLine.Write(buffer, entry, "penguins", "1.0.0", classes);
        using var line = JsonDocument.Parse(buffer.WrittenMemory);
        return line.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
    }

    [Test]
    public void A_scored_row_is_written_with_the_fields_names_in_order()
    {
        var scored = new ScoredBatch(1, ["Adelie"], [[0.9f, 0.1f]], null);
        var names = TopLevelNames(new PredictionLogEntry("r1", Time, LoggedRows.From(new Dictionary<string, object?> { ["Island"] = "Dream" }), scored), ["Adelie", "Gentoo"]);

        Assert.That(names, Is.EqualTo(new[]
        {
            Name(PredictionLogFields.Time), Name(PredictionLogFields.RequestId), Name(PredictionLogFields.Row), Name(PredictionLogFields.Model),
            Name(PredictionLogFields.Version), Name(PredictionLogFields.Inputs), Name(PredictionLogFields.Outputs),
        }));
    }

    [Test]
    public void A_rejection_is_written_with_status_error_reason_and_rows()
    {
        var names = TopLevelNames(PredictionLogEntry.Rejected("r2", Time, 400, "bad", RejectionReasons.InvalidValue, 12), []);

        Assert.That(names, Is.EqualTo(new[]
        {
            Name(PredictionLogFields.Time), Name(PredictionLogFields.RequestId), Name(PredictionLogFields.Model),
            Name(PredictionLogFields.Version), Name(PredictionLogFields.Status), Name(PredictionLogFields.Error),
            Name(PredictionLogFields.Reason), Name(PredictionLogFields.RejectedRows),
        }));
    }

    [Test]
    public void Outputs_are_named_as_the_models_outputs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Name(PredictionLogFields.Label), Is.EqualTo(OutputNames.Label));
            Assert.That(Name(PredictionLogFields.Probabilities), Is.EqualTo(OutputNames.Probabilities));
            Assert.That(Name(PredictionLogFields.Value), Is.EqualTo(OutputNames.Value));
        });
    }
}
