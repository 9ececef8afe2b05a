using Layercake.Shared.Lineage;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.Lineage;

[Category(Categories.Unit)]
public sealed class StageCacheTests
{
    private static readonly Dictionary<string, string> Inputs = new() { ["data"] = "aaa", ["params"] = "bbb" };

    private static async Task<TempDirectory> StageWithOutput()
    {
        var dir = new TempDirectory();
        dir.Write("out.csv", "x\n1\n");
        await StageCache.WriteAsync(dir.Path, "prepare", Inputs, ["out.csv"], TimeProvider.System, CancellationToken.None);
        return dir;
    }

    [Test]
    public async Task Unchanged_inputs_and_intact_outputs_are_up_to_date()
    {
        using var dir = await StageWithOutput();

        Assert.That(await StageCache.WhyStaleAsync(dir.Path, Inputs, ["out.csv"], CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Each_reason_to_run_again_is_named()
    {
        using var dir = await StageWithOutput();

        Assert.Multiple(async () =>
        {
            Assert.That(await StageCache.WhyStaleAsync(dir.Path, new Dictionary<string, string>(Inputs) { ["data"] = "ccc" }, ["out.csv"], CancellationToken.None), Is.EqualTo("input 'data' changed"));
            Assert.That(await StageCache.WhyStaleAsync(dir.Path, new Dictionary<string, string>(Inputs) { ["tools"] = "t" }, ["out.csv"], CancellationToken.None), Is.EqualTo("input 'tools' is new"));
            Assert.That(await StageCache.WhyStaleAsync(dir.Path, new Dictionary<string, string> { ["data"] = "aaa" }, ["out.csv"], CancellationToken.None), Is.EqualTo("input 'params' is gone"));
            Assert.That(await StageCache.WhyStaleAsync(dir.Path, Inputs, ["out.csv", "model.onnx"], CancellationToken.None), Is.EqualTo("output 'model.onnx' is not recorded (the stage now writes more)"));
        });

        File.WriteAllText(dir.File("out.csv"), "tampered");
        Assert.That(await StageCache.WhyStaleAsync(dir.Path, Inputs, ["out.csv"], CancellationToken.None), Is.EqualTo("output 'out.csv' was modified"));
        File.Delete(dir.File("out.csv"));
        Assert.That(await StageCache.WhyStaleAsync(dir.Path, Inputs, ["out.csv"], CancellationToken.None), Is.EqualTo("output 'out.csv' is missing"));
    }

    [Test]
    public async Task A_stage_that_never_ran_is_stale()
    {
        using var dir = new TempDirectory();

        Assert.That(await StageCache.WhyStaleAsync(dir.Path, Inputs, [], CancellationToken.None), Is.EqualTo("it has not run before"));
    }
}
