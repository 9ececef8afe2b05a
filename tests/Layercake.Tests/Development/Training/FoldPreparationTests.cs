using Layercake.Development.Training;
using Layercake.Development.Training.Folds;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Training;

[Category(Categories.Unit)]
public sealed class FoldPreparationTests
{
    [Test]
    public void Held_out_rows_are_cleaned_with_statistics_of_the_training_rows_only()
    {
        var prepared = Specs.Prepare("name: t\ndata: d.csv\nlabel: y\ntask: multiclass\nfolds: 2\n", "y,x\na,1\nb,2\na,3\nb,1000\na,\n");
        var preparation = new FoldPreparation(Specs.Parse("name: t\ndata: d.csv\nlabel: y\ntask: multiclass\n"), prepared.Typed);

        var (train, test) = preparation.Split([0, 1, 2], [3, 4]);

        Assert.That(prepared.Training.Features.Numbers["x"][4], Is.EqualTo(2.5f), "all rows: median of 1, 2, 3, 1000");
        Assert.That(test.Features.Numbers["x"], Is.EqualTo(new[] { 1000f, 2f }), "the fold: median of its training rows 1, 2, 3");
        Assert.That(train.Labels, Is.EqualTo(new[] { "a", "b", "a" }));
        Assert.That(test.Labels, Is.EqualTo(new[] { "b", "a" }));
    }
}
