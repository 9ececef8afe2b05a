using Layercake.Development.Packaging;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Scoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Packaging;

[Category(Categories.Unit)]
public sealed class ParityCheckerTests
{
    private static ScoredBatch Classes(string label, params float[] probabilities) => new(1, [label], [probabilities], null);

    private static ScoredBatch Values(params float[] values) => new(values.Length, null, null, values);

    [Test]
    public void Probabilities_within_the_absolute_tolerance_pass()
    {
        var result = ParityChecker.Compare(ModelTask.Multiclass, Classes("a", 0.7f, 0.3f), Classes("a", 0.70005f, 0.29995f));

        Assert.That(result.Passed);
        Assert.That(result.ToleranceKind, Is.EqualTo("absolute"));
    }

    [Test]
    public void Probabilities_beyond_the_tolerance_fail()
    {
        var result = ParityChecker.Compare(ModelTask.Multiclass, Classes("a", 0.7f, 0.3f), Classes("a", 0.71f, 0.29f));

        Assert.That(result.Passed, Is.False);
        Assert.That(result.MaxDifference, Is.EqualTo(0.01).Within(1e-6));
    }

    [Test]
    public void Different_labels_fail_even_with_close_probabilities()
    {
        var result = ParityChecker.Compare(ModelTask.Multiclass, Classes("a", 0.5f, 0.5f), Classes("b", 0.5f, 0.5f));

        Assert.That(result.Passed, Is.False);
    }

    [Test]
    public void Regression_values_are_compared_relatively()
    {
        Assert.That(ParityChecker.Compare(ModelTask.Regression, Values(10000f), Values(10000.5f)).Passed, "0.5 in 10000 is within 1e-4 relative");
        Assert.That(ParityChecker.Compare(ModelTask.Regression, Values(10f), Values(10.01f)).Passed, Is.False, "0.01 in 10 is not");
        Assert.That(ParityChecker.Compare(ModelTask.Regression, Values(0f), Values(0.00005f)).Passed, "below 1 the tolerance is absolute");
    }
}
