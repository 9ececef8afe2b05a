using Layercake.Shared.MLflow;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Shared.MLflow;

[Category(Categories.Unit)]
public sealed class MlflowOptionsTests
{
    [Test]
    public void Reads_MLflows_own_variables_and_keeps_the_credentials_out_of_its_text()
    {
        var variables = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = "http://mlflow.internal:5000", ["MLFLOW_TRACKING_TOKEN"] = "s3cret" };

        var options = MlflowOptions.FromEnvironment(variables.GetValueOrDefault)!;

        Assert.That(options.TrackingUri.ToString(), Is.EqualTo("http://mlflow.internal:5000/"));
        Assert.That(options.Token, Is.EqualTo("s3cret"));
        Assert.That(options.ToString(), Does.Not.Contain("s3cret"));
    }

    [Test]
    public void No_tracking_uri_is_no_MLflow_and_one_that_is_not_a_server_is_a_clear_error()
    {
        Assert.That(MlflowOptions.FromEnvironment(_ => null), Is.Null);
        Assert.That(() => MlflowOptions.FromEnvironment(n => n == "MLFLOW_TRACKING_URI" ? "file:./mlruns" : null),
            Throws.ArgumentException.With.Message.Contains("MLFLOW_TRACKING_URI=file:./mlruns is not an http(s) URL"));
    }
}
