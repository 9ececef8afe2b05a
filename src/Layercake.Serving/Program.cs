using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;
using Layercake.Serving.Hosting;
using Layercake.Serving.Observability;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

var startup = new StartupTimeline();

// ONNX Runtime must not phone home from a model server: set before the first session is created.
Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");

ServingOptions options;
try
{
    options = ServingOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

if (args.Contains(ServingContainer.HealthCheckSwitch))
{
    return await HealthProbe.RunAsync(options);
}

var level = Enum.TryParse<LogEventLevel>(Environment.GetEnvironmentVariable(ServingEnvironmentVariables.LogLevel), true, out var parsed)
    ? parsed : LogEventLevel.Information;
using var logger = new LoggerConfiguration()
    .MinimumLevel.Is(level)
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .WriteTo.Console(new CompactJsonFormatter())
    .CreateLogger();

try
{
    var app = await ServingApp.BuildAsync(options, logger, startup);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
{
    logger.Fatal("Cannot serve: {Message}", ex.Message);
    return 1;
}
