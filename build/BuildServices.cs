using Cake.Core;
using Docker.DotNet;
using Layercake.Batch;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Development;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Management;
using Layercake.Management.Evaluation;
using Layercake.Management.Promotion;
using Layercake.Management.Releases;
using Layercake.Monitoring;
using Layercake.Registry;
using Layercake.Shared.Docker;
using Layercake.Shared.GitHub;
using Layercake.Shared.MLflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Layercake.Build;

/// <summary>
/// The composition root: every service the tasks use is registered here, once, as a singleton of this run. Which
/// registry and deployment history serve (GitHub or local) is decided here and nowhere else.
/// </summary>
public static class BuildServices
{
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => BuildSettings.Read(sp.GetRequiredService<ICakeContext>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<BuildSettings>().Paths);
        services.AddSingleton<BuildCancellation>();
        services.AddSingleton<BuildLogging>();
        services.AddSingleton(sp => sp.GetRequiredService<BuildLogging>().Serilog);
        services.AddSingleton(sp => sp.GetRequiredService<BuildLogging>().Factory);
        services.AddSingleton(sp => sp.GetRequiredService<ILoggerFactory>().CreateLogger("Layercake"));
        services.AddSingleton(sp => new GitHubConnection(
            GitHubOptions.FromEnvironment(Environment.GetEnvironmentVariable, sp.GetRequiredService<BuildSettings>().Repository)));
        services.AddSingleton<Func<CancellationToken, Task<DockerClient>>>(DockerEngine.ConnectAsync);
        services.AddSingleton<BuildPreflight>();
        services.AddSingleton<CurrentVersion>();
        services.AddSingleton<CachedStage>();
        RegisterRegistries(services);
        RegisterRuns(services);
        RegisterDeployment(services);
        RegisterStages(services);
    }

    /// <summary>The library entry points whose dependencies are more than the tasks hold.</summary>
    private static void RegisterStages(IServiceCollection services)
    {
        services.AddSingleton(sp => new ProductionComparison(Get<IModelRegistry>(sp), Get<IDeploymentHistory>(sp), Get<ILogger>(sp)));
        services.AddSingleton(sp => new EvaluationReview(Get<ProductionComparison>(sp), Get<RunRecorder>(sp), Get<ILogger>(sp)));
        services.AddSingleton(sp => new MonitorStage(
            Get<IModelRegistry>(sp), Get<LocalModelRegistry>(sp), Get<IDeploymentHistory>(sp), DockerEngine.ConnectAsync,
            Get<GitHubConnection>(sp).Options is { } github
                ? new MonitoringBreach(GitHubClientFactory.Create(github), github, Get<ILogger>(sp), Get<TimeProvider>(sp)) : null,
            Get<Paths>(sp).Artifacts, Get<ILogger>(sp), Get<TimeProvider>(sp)));
        services.AddSingleton(sp => new ScoreStage(
            Get<LocalModelRegistry>(sp), Get<IDeploymentHistory>(sp),
                new ScoreRecorder(Get<RunStore>(sp), Get<ILogger>(sp), Get<TimeProvider>(sp)),
            Get<ILogger>(sp), Get<TimeProvider>(sp), ReleasedVersionsOf(Get<IModelRegistry>(sp))));
        services.AddSingleton(sp => new ReproduceStage(
            Get<IModelRegistry>(sp), DockerEngine.ConnectAsync, Get<Paths>(sp).Root, Get<Paths>(sp).Root, Get<Paths>(sp).Artifacts,
            Get<BuildContext>(sp).SourceUrl, CommandLineAdvice.PackageCommand, Get<ILogger>(sp)));
    }

    /// <summary>Score reads released versions from GitHub when that registry is configured (Batch knows no registry type).</summary>
    private static ReleasedVersions? ReleasedVersionsOf(IModelRegistry registry) => registry is GitHubModelRegistry github
        ? new ReleasedVersions(github.Description,
            async (model, token) => [.. (await github.ListAsync(model, token)).Select(p => p.Version)], github.FetchAsync)
        : null;

    private static void RegisterRegistries(IServiceCollection services)
    {
        services.AddSingleton(sp => new LocalModelRegistry(Get<Paths>(sp).Models, Get<ILogger>(sp), Get<TimeProvider>(sp)));
        services.AddSingleton<IModelRegistry>(sp => Get<GitHubConnection>(sp).Options is { } github
            ? new GitHubModelRegistry(
                GitHubClientFactory.Create(github), github, Path.Combine(Get<Paths>(sp).Artifacts, "github-cache"), Get<ILogger>(sp),
                    Get<TimeProvider>(sp))
            : new LocalReleaseRegistry(Get<LocalModelRegistry>(sp)));
        services.AddSingleton<IDeploymentHistory>(sp => Get<GitHubConnection>(sp).Options is { } github
            ? new GitHubDeploymentHistory(GitHubClientFactory.Create(github), github, Get<ILogger>(sp), Get<TimeProvider>(sp))
            : new LocalDeploymentHistory(Get<Paths>(sp).Models, Get<TimeProvider>(sp)));
    }

    private static void RegisterRuns(IServiceCollection services)
    {
        services.AddSingleton(sp => new RunStore(Get<BuildSettings>(sp).RunStorePath));
        services.AddSingleton(sp => new RunArtifacts(Get<Paths>(sp).Artifacts));
        services.AddSingleton(sp => new RunRecorder(
            Get<RunStore>(sp), Get<RunArtifacts>(sp), Get<BuildSettings>(sp).KeepRuns, Mlflow(Get<ILogger>(sp)), Get<ILogger>(sp),
                Get<TimeProvider>(sp)));
    }

    private static void RegisterDeployment(IServiceCollection services)
    {
        services.AddSingleton<IServerPublisher, DotNetServerPublisher>();
        services.AddSingleton(sp => new ServerImage(
            Get<IServerPublisher>(sp), Get<Paths>(sp).SourceRoot, Get<Paths>(sp).ServingPublish, Get<BuildContext>(sp).SourceUrl,
            Get<ILogger>(sp), Get<TimeProvider>(sp)));
        services.AddSingleton(sp => new EnvironmentDeployment(
            DockerEngine.ConnectAsync, Get<IDeploymentHistory>(sp), Get<ServerImage>(sp), Get<Paths>(sp).Models, Get<ILogger>(sp),
            Get<TimeProvider>(sp), Get<Paths>(sp).Artifacts));
    }

    /// <summary>A tracking URI that is not a server (file:, databricks) leaves MLflow out with a warning; the run is still
    /// recorded.</summary>
    private static MlflowOptions? Mlflow(ILogger logger)
    {
        try
        {
            return MlflowOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException ex)
        {
            logger.LogWarning("{Message}", ex.Message);
            return null;
        }
    }

    private static T Get<T>(IServiceProvider services)
        where T : notnull => services.GetRequiredService<T>();
}
