using System.Reflection;
using Layercake.Runtime.Settings;
using Layercake.Serving.Hosting;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Settings;

/// <summary>The variables a deployment sets are the ones the server reads, under names operators already use.</summary>
[Category(Categories.Unit)]
public sealed class ServingEnvironmentVariablesTests
{
    private static string[] All() => typeof(ServingEnvironmentVariables).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();

    [Test]
    public void Names_are_distinct_and_prefixed()
    {
        Assert.That(All(), Is.Unique.And.All.StartsWith("LAYERCAKE_"));
    }

    [Test]
    public void Names_in_scripts_and_docs_stay_as_they_are()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ServingEnvironmentVariables.Port, Is.EqualTo("LAYERCAKE_PORT"), "bench/serving/run.sh");
            Assert.That(ServingEnvironmentVariables.LogLevel, Is.EqualTo("LAYERCAKE_LOG_LEVEL"), "bench/soak/run.sh");
            Assert.That(ServingEnvironmentVariables.PredictionLog, Is.EqualTo("LAYERCAKE_PREDICTION_LOG"), "docs/ARCHITECTURE.md");
            Assert.That(ServingEnvironmentVariables.PredictionLogKeepDays, Is.EqualTo("LAYERCAKE_PREDICTION_LOG_KEEP_DAYS"));
        });
    }

    [Test]
    public void What_a_deployment_assigns_the_server_reads()
    {
        var assignments = new[]
        {
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.Port, 18080),
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.ReusePort, 1),
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.AdminPort, 18081),
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.ShutdownSeconds, 45),
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.PredictionLog, "/var/lib/layercake/predictions"),
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.PredictionLogKeepDays, 0),
        };
        var environment = assignments.Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);

        var options = ServingOptions.Parse([], environment.GetValueOrDefault);

        Assert.Multiple(() =>
        {
            Assert.That(options.Port, Is.EqualTo(18080));
            Assert.That(options.ReusePort, Is.True);
            Assert.That(options.AdminPort, Is.EqualTo(18081));
            Assert.That(options.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(45)));
            Assert.That(options.PredictionLog?.Directory, Is.EqualTo("/var/lib/layercake/predictions"));
            Assert.That(options.PredictionLog?.KeepFor, Is.Null, "0 days keeps every file");
        });
    }

    [TestCase("250", 250)]
    [TestCase("0", 0)]
    public void The_batching_variables_set_the_batcher(string arrivalWait, int expectedMicros)
    {
        var environment = new Dictionary<string, string>
        {
            [ServingEnvironmentVariables.BatchMaxRows] = "32",
            [ServingEnvironmentVariables.BatchMaxWaitMicroseconds] = "0",
            [ServingEnvironmentVariables.BatchArrivalWaitMicroseconds] = arrivalWait,
            [ServingEnvironmentVariables.BatchDeferWhileBusy] = "0",
        };

        var options = ServingOptions.Parse([], environment.GetValueOrDefault);

        Assert.Multiple(() =>
        {
            Assert.That(options.Batching.MaxRows, Is.EqualTo(32));
            Assert.That(options.Batching.MaxWait, Is.EqualTo(TimeSpan.Zero));
            Assert.That(options.Batching.ArrivalWait, Is.EqualTo(TimeSpan.FromMicroseconds(expectedMicros)));
            Assert.That(ServingOptions.Parse([], _ => null).Batching.ArrivalWait, Is.EqualTo(TimeSpan.Zero), "off by default");
            Assert.That(() => ServingOptions.Parse(["--batch-arrival-wait-us=soon"], _ => null), Throws.ArgumentException.With.Message.Contains("--batch-arrival-wait-us=soon"));
            Assert.That(options.Batching.DeferWhileBusy, Is.False);
            Assert.That(ServingOptions.Parse([], _ => null).Batching.DeferWhileBusy, Is.True, "on by default");
            Assert.That(() => ServingOptions.Parse(["--batch-defer=maybe"], _ => null), Throws.ArgumentException.With.Message.Contains("--batch-defer=maybe: expected 1 or 0"));
        });
    }
}
