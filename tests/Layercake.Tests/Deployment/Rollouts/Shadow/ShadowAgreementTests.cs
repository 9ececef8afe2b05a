using Layercake.Deployment.Rollouts;
using Layercake.Deployment.Rollouts.Shadow;
using Layercake.Pipelines.Strategies;
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
            Assert.That(comparison.ToCheck(RolloutAnalysisSpec.Default).Measured, Does.StartWith("66.67 % of labels agree (3 rows paired of 4 live, 4 shadow"));
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
            Assert.That(comparison.ToCheck(RolloutAnalysisSpec.Default).Measured, Does.StartWith("mean |difference| 1.45, p95 1 (20 rows paired"));
        });
    }

    [Test]
    public void Nothing_paired_fails_the_check()
    {
        var comparison = ShadowAgreement.Compare([Label("a", 0, "Adelie")], [Label("b", 0, "Adelie")]);

        Assert.That(comparison.ToCheck(RolloutAnalysisSpec.Default), Has.Property("Passed").False.And.Property("Measured").StartsWith("no rows paired"));
    }

    [TestCase(0.6, true)]
    [TestCase(2.0 / 3, true)]
    [TestCase(0.95, false)]
    public void A_label_agreement_below_min_agreement_fails_the_check_with_its_limit(double least, bool passes)
    {
        LoggedPrediction[] live = [Label("a", 0, "Adelie"), Label("b", 0, "Gentoo"), Label("c", 0, "Adelie")];
        LoggedPrediction[] shadow = [Label("a", 0, "Adelie"), Label("b", 0, "Gentoo"), Label("c", 0, "Chinstrap")];

        var check = ShadowAgreement.Compare(live, shadow).ToCheck(RolloutAnalysisSpec.Default with { MinAgreement = least });

        Assert.Multiple(() =>
        {
            Assert.That(check.Passed, Is.EqualTo(passes), check.Limit);
            Assert.That(check.Limit, Does.StartWith(">= ").And.EndWith(" % of labels agree"));
            Assert.That(check.Measured, Does.StartWith("66.67 % of labels agree"));
        });
    }

    [TestCase(1.45, true)]
    [TestCase(1.0, false)]
    public void A_mean_absolute_difference_above_its_maximum_fails_the_check(double most, bool passes)
    {
        var live = Enumerable.Range(0, 20).Select(i => Value($"r{i}", i)).ToList();
        var shadow = Enumerable.Range(0, 20).Select(i => Value($"r{i}", i + (i == 19 ? 10 : 1))).ToList();

        var check = ShadowAgreement.Compare(live, shadow).ToCheck(RolloutAnalysisSpec.Default with { MaxMeanAbsoluteDifference = most });

        Assert.That((check.Passed, check.Limit), Is.EqualTo((passes, $"mean |difference| <= {most.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
    }

    [Test]
    public void A_threshold_of_the_other_kind_does_not_apply()
    {
        LoggedPrediction[] live = [Label("a", 0, "Adelie"), Label("b", 0, "Gentoo")];
        LoggedPrediction[] shadow = [Label("a", 0, "Gentoo"), Label("b", 0, "Adelie")];

        var check = ShadowAgreement.Compare(live, shadow).ToCheck(RolloutAnalysisSpec.Default with { MaxMeanAbsoluteDifference = 0.1 });

        Assert.That((check.Passed, check.Limit), Is.EqualTo((true, "reported (rows paired > 0)")), "labels have no absolute difference");
    }

    [Test]
    public void A_missed_threshold_is_a_failed_check_named_in_the_shadows_reason()
    {
        LoggedPrediction[] live = [Label("a", 0, "Adelie"), Label("b", 0, "Gentoo"), Label("c", 0, "Adelie")];
        LoggedPrediction[] shadow = [Label("a", 0, "Adelie"), Label("b", 0, "Gentoo"), Label("c", 0, "Chinstrap")];
        var agreement = ShadowAgreement.Compare(live, shadow).ToCheck(RolloutAnalysisSpec.Default with { MinAgreement = 0.95 });
        var step = new RolloutStep(100, At, At.AddSeconds(20), 3, 3, [new RolloutCheck("error rate", true, "0 %", "<= 1 %"), agreement]);

        var reason = ShadowVerdict.Reason("1.1.0", "1.0.0", step, agreement);

        Assert.Multiple(() =>
        {
            Assert.That(step.Passed, Is.False);
            Assert.That(reason, Does.StartWith("shadow 1.1.0 never went live, 1.0.0 kept serving: 66.67 % of labels agree"));
            Assert.That(reason, Does.EndWith("the shadow failed agreement FAILED: 66.67 % of labels agree (3 rows paired of 3 live, 3 shadow) " +
                "(limit >= 95 % of labels agree)"));
        });
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
