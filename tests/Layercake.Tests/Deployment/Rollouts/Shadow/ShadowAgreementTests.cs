using Layercake.Deployment.Rollouts;
using Layercake.Deployment.Rollouts.Shadow;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Rollouts.Shadow;

[Category(Categories.Unit)]
public sealed class ShadowAgreementTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Labels_are_compared_on_the_same_request_and_row_only()
    {
        LoggedPrediction[] live = [Label("a", 0, "Adelie"), Label("a", 1, "Gentoo"), Label("b", 0, "Adelie"), Label("c", 0, "Gentoo")];
        LoggedPrediction[] shadow = [Label("a", 1, "Gentoo"), Label("a", 0, "Adelie"), Label("b", 0, "Chinstrap"), Label("d", 0, "Gentoo")];

        var comparison = ShadowAgreement.Compare(live, shadow);

        Assert.Multiple(() =>
        {
            Assert.That((comparison.LiveRows, comparison.ShadowRows, comparison.Paired), Is.EqualTo((4L, 4L, 3L)));
            Assert.That(comparison.LabelAgreement, Is.EqualTo(2.0 / 3).Within(1e-12));
            Assert.That(comparison.ToCheck().Measured, Does.StartWith("66.67 % of labels agree (3 rows paired of 4 live, 4 shadow"));
        });
    }

    [Test]
    public void A_request_id_logged_twice_is_ambiguous_and_never_counts_as_agreement()
    {
        LoggedPrediction[] live = [Label("same", 0, "Adelie"), Label("same", 0, "Gentoo"), Label("x", 0, "Adelie")];
        LoggedPrediction[] shadow = [Label("same", 0, "Adelie"), Label("x", 0, "Gentoo")];

        var comparison = ShadowAgreement.Compare(live, shadow);

        Assert.That((comparison.Paired, comparison.Ambiguous, comparison.LabelAgreement), Is.EqualTo((1L, 1L, (double?)0)));
    }

    [Test]
    public void Regression_gives_the_mean_and_p95_absolute_difference()
    {
        var live = Enumerable.Range(0, 20).Select(i => Value($"r{i}", i)).ToList();
        var shadow = Enumerable.Range(0, 20).Select(i => Value($"r{i}", i + (i == 19 ? 10 : 1))).ToList();

        var comparison = ShadowAgreement.Compare(live, shadow);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.LabelAgreement, Is.Null);
            Assert.That(comparison.MeanAbsoluteDifference, Is.EqualTo((19 + 10) / 20.0).Within(1e-12));
            Assert.That(comparison.P95AbsoluteDifference, Is.EqualTo(1), "the 19th of 20 sorted differences");
            Assert.That(comparison.ToCheck().Measured, Does.StartWith("mean |difference| 1.45, p95 1 (20 rows paired"));
        });
    }

    [Test]
    public void Nothing_paired_fails_the_check()
    {
        var comparison = ShadowAgreement.Compare([Label("a", 0, "Adelie")], [Label("b", 0, "Adelie")]);

        Assert.That(comparison.ToCheck(), Has.Property("Passed").False.And.Property("Measured").StartsWith("no rows paired"));
    }

    [Test]
    public void A_log_line_gives_its_prediction_and_a_rejected_or_cut_line_none()
    {
        var scored = ShadowAgreement.Parse(
            """{"time":"2026-12-07T12:00:00.123Z","request_id":"abc","row":2,"model":"m","version":"1","inputs":{"x":1},"outputs":""" +
            """{"label":"Gentoo","probabilities":{"Gentoo":0.9}}}""");
        var rejected = ShadowAgreement.Parse(
            """{"time":"2026-12-07T12:00:00Z","request_id":"abc","model":"m","version":"1","status":""" +
            """400,"error":"e","reason":"r","rejected_rows":1}""");

        Assert.Multiple(() =>
        {
            Assert.That(scored, Is.EqualTo(new LoggedPrediction("abc", 2, At.AddMilliseconds(123), "Gentoo", null)));
            Assert.That(rejected, Is.Null);
            Assert.That(ShadowAgreement.Parse("""{"time":"2026-12-07T12:00:00Z","request_id":"ab"""), Is.Null);
        });
    }

    private static LoggedPrediction Label(string id, int row, string label) => new(id, row, At, label, null);

    private static LoggedPrediction Value(string id, double value) => new(id, 0, At, null, value);
}
