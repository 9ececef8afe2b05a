namespace Layercake.Runtime.Containers;

/// <summary>
/// What every serving container is, agreed between the image that is built, the server inside it, and whoever runs
/// it (smoke test, deployment targets, Monitor's log fetch): where things are in the image, its port and its user.
/// </summary>
public static class ServingContainer
{
    public const string ServerBinary = "Layercake.Serving";
    public const string AppDirectory = "/app";
    public const string ServerPath = AppDirectory + "/" + ServerBinary;

    /// <summary>The model package's files the server reads; the server's default model directory.</summary>
    public const string ModelDirectory = "/model";

    /// <summary>The port the server listens on inside the container, unless a deployment on the host network sets another.</summary>
    public const int Port = 8080;

    /// <summary>The unprivileged user the server runs as (the uid conventionally called "nonroot").</summary>
    public const int UserId = 65532;

    /// <summary>Where a deployment mounts the prediction log volume, and Monitor mounts it again to copy the log out.</summary>
    public const string PredictionLogDirectory = "/var/lib/layercake/predictions";

    /// <summary>Runs the server binary as its own health probe: the image has no shell or curl.</summary>
    public const string HealthCheckSwitch = "--healthcheck";
}
