using System.Reflection;
using Layercake.Deployment.Images;
using Layercake.Deployment;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;
using Layercake.Serving.Hosting;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Containers;

/// <summary>The serving container's contract: what the image sets up is what the server defaults to and what deployments and Monitor find.</summary>
[Category(Categories.Unit)]
public sealed class ContainerContractTests
{
    [Test]
    public void The_prediction_log_volume_is_named_by_model_and_environment()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PredictionLogVolume.NameFor("penguins", "production"), Is.EqualTo("layercake-penguins-production-predictions"), "existing volumes keep their log");
            Assert.That(PredictionLogVolume.NameFor("penguins", "staging"), Is.Not.EqualTo(PredictionLogVolume.NameFor("penguins", "production")));
        });
    }

    [Test]
    public void Image_names_put_every_version_of_a_model_in_one_repository()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ServingImageName.Of("penguins", "1.2.0"), Is.EqualTo("layercake/penguins:1.2.0"));
            Assert.That(ServingImageName.Of("penguins", "1.2.0"), Does.StartWith(ServingImageName.Repository("penguins") + ":"));
        });
    }

    [Test]
    public void Label_keys_are_distinct_and_namespaced()
    {
        var keys = typeof(LayercakeLabels).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToArray();

        Assert.That(keys, Is.Unique.And.All.StartsWith("io.layercake."));
    }

    [Test]
    public void The_image_starts_the_server_where_it_defaults_to_look()
    {
        var config = ServingImageContent.Config(new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);
        var defaults = new ServingOptions();

        Assert.Multiple(() =>
        {
            Assert.That(defaults.Port, Is.EqualTo(ServingContainer.Port));
            Assert.That(defaults.ModelDirectory, Is.EqualTo(ServingContainer.ModelDirectory));
            Assert.That(config.Environment, Does.Contain($"{ServingEnvironmentVariables.Port}={ServingContainer.Port}"));
            Assert.That(config.ExposedPort, Is.EqualTo(ServingContainer.Port));
            Assert.That(config.Entrypoint, Is.EqualTo(new[] { ServingContainer.ServerPath }));
            Assert.That(config.HealthCheck, Is.EqualTo(new[] { "CMD", ServingContainer.ServerPath, ServingContainer.HealthCheckSwitch }));
            Assert.That(ServingContainer.ServerPath, Is.EqualTo("/app/Layercake.Serving"));
        });
    }
}
