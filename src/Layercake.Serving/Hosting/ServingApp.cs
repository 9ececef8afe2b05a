using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Layercake.Runtime.Preprocessing;
using Layercake.Serving.Inference;
using Layercake.Serving.Observability;
using Layercake.Serving.PredictionLog;
using Layercake.Serving.Protocols.Mlflow;
using Layercake.Serving.Protocols.Responses;
using Layercake.Serving.Security;
using Microsoft.AspNetCore.Routing;
using Serilog;
using Serilog.Extensions.Logging;

namespace Layercake.Serving.Hosting;

/// <summary>Builds the web application: Kestrel limits, the endpoints of both protocols, metrics and request logs.</summary>
internal static class ServingApp
{
    public static Task<WebApplication> BuildAsync(ServingOptions options, Serilog.ILogger logger, StartupTimeline? startup = null) =>
        BuildAsync(options, logger, TimeProvider.System, null, startup);

    /// <param name="openLogFile">Opens a prediction log file; tests pass one that stalls. Null: the file system.</param>
    /// <param name="startup">The start's timeline, begun in Main; logged once Kestrel listens.</param>
    internal static async Task<WebApplication> BuildAsync(
        ServingOptions options, Serilog.ILogger logger, TimeProvider time, Func<string, Stream>? openLogFile,
            StartupTimeline? startup = null)
    {
        startup ??= new StartupTimeline();
        // The model (ONNX Runtime's library, environment and session) loads on a pool thread while the web host is
        // built; Kestrel listens only once it is loaded, so ready means able to predict
        // (docs/decisions/0041-fast-start-and-package-time-optimisation.md).
        var loading = Task.Run(() => LoadedModel.Load(options.ModelDirectory, startup, options.Scorer));
        var certificate = options.Tls is { } tls ? ServerCertificate.Load(tls, logger, time) : null;
        var hostStarted = startup.ElapsedMilliseconds;
        var drain = options.ReusePort ? new ConnectionDrain(TimeSpan.FromMilliseconds(300), options.ShutdownTimeout / 2) : null;
        var completion = new PredictionLogCompletion();
        var app = BuildHost(options, logger, certificate, drain, completion);
        startup.Record("web host build", hostStarted);
        var waited = startup.ElapsedMilliseconds;
        var model = await loading.ConfigureAwait(false);
        startup.Record("wait for the model", waited);
        var metrics = new ServingMetrics();
        var predictor = new Predictor(model, metrics, options.Batching);
        var predictionLog = OpenPredictionLog(options, model, time, logger, openLogFile);
        metrics.PredictionLog = predictionLog;
        app.Lifetime.ApplicationStopped.Register(model.Dispose);
        if (drain is not null)
        {
            UseDrain(app, drain, logger);
        }

        completion.Writer = predictionLog;
        UseRequestMeasurement(app, metrics, logger, model.Version);
        RequestGuards.Use(app, options, metrics, logger, time);
        HealthEndpoints.Map(app, model);
        var logging = new PredictionLogging(predictionLog, time);
        new OpenInferenceEndpoints(model, predictor, options, logging).Map(app);
        MapMlflow(app, model, predictor, metrics, options, logging);
        app.MapGet("/metrics", () => Results.Text(
            metrics.Render(model.Name, model.Version, model.Scorer.Name), "text/plain; version=0.0.4"));
        app.MapGet("/openapi.json", () => Results.Stream(
            typeof(ServingApp).Assembly.GetManifestResourceStream("openapi.json")!, "application/json"));
        app.MapFallback(() => ResponseWriter.Error(StatusCodes.Status404NotFound, "no such endpoint; see /openapi.json"));
        logger.Information("Serving {Model} {Version} ({Task}) on {Address}:{Port} with the {Scorer} scorer: {ScorerReason}",
            model.Name, model.Version, model.Signature.Task, options.BindAddress, options.Port, model.Scorer.Name, model.ScorerReason);
        LogWhenReady(app, model, startup, logger);
        return app;
    }

    /// <summary>The web host with its logging, shutdown timeout, sockets and Kestrel limits; no endpoints yet.</summary>
    private static WebApplication BuildHost(
        ServingOptions options,
        Serilog.ILogger logger,
        X509Certificate2? certificate,
        ConnectionDrain? drain,
        PredictionLogCompletion completion)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The host watches appsettings.json for changes by default, with a recursive file watcher on the content
            // root: the working directory, "/" in the image, so every directory of the container got an inotify watch,
            // which was ≈ 350 ms of a 400 ms start (docs/decisions/0041-fast-start-and-package-time-optimisation.md).
            // The server reads no settings file, so nothing is watched.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        if (drain is not null)
        {
            builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = drain.Bind);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            RequestGuards.Listen(kestrel, IPAddress.Parse(options.BindAddress), options.Port, certificate);
            if (options.AdminPort is { } admin)
            {
                kestrel.Listen(IPAddress.Loopback, admin);
            }
        });

        builder.Services.AddSingleton<IHostedService>(completion);
        return builder.Build();
    }

    private static PredictionLogWriter? OpenPredictionLog(
        ServingOptions options, LoadedModel model, TimeProvider time, Serilog.ILogger logger, Func<string, Stream>? openLogFile) =>
        options.PredictionLog is { } logOptions
            ? openLogFile is null
                ? new PredictionLogWriter(logOptions, model.Name, model.Version, model.Signature.Classes, time, logger)
                : new PredictionLogWriter(logOptions, model.Name, model.Version, model.Signature.Classes, time, logger, openLogFile)
            : null;

    /// <summary>On stop, drains open connections, answering each request meanwhile with <c>Connection: close</c>.</summary>
    private static void UseDrain(WebApplication app, ConnectionDrain drain, Serilog.ILogger logger)
    {
        app.Lifetime.ApplicationStopping.Register(() => drain.Drain(logger));
        app.Use((context, next) =>
        {
            drain.RequestStarted();
            if (drain.Draining)
            {
                context.Response.Headers.Connection = "close";
            }

            return next(context);
        });
    }

    /// <summary>Gives each request its id, counts and times it in the metrics, and logs it.</summary>
    private static void UseRequestMeasurement(WebApplication app, ServingMetrics metrics, Serilog.ILogger logger, string version) =>
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            context.TraceIdentifier = RequestIds.For(context.Request.Headers[RequestIds.Header].ToString());
            context.Response.Headers[RequestIds.Header] = context.TraceIdentifier;
            context.Response.Headers[RequestIds.VersionHeader] = version;
            var status = StatusCodes.Status500InternalServerError;
            try
            {
                await next(context);
                status = context.Response.StatusCode;
            }
            catch (Exception ex)
            {
                logger.Error(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
                throw;
            }
            finally
            {
                // A request that ends in an exception is counted as the 500 the server answers, so alerts on 5xx
                // can fire.
                var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.RecordRequest(endpoint, status, Stopwatch.GetElapsedTime(started).TotalSeconds);
                LogRequest(context, status, started, logger);
            }
        });

    private static void LogRequest(HttpContext context, int status, long started, Serilog.ILogger logger)
    {
        // One line per request is Debug, off by default: written to the console at thousands of requests a second
        // it cost a third more CPU per request (docs/decisions/0044-onnx-runtime-asked-for-the-prediction-only.md),
        // and /metrics counts and times every request anyway.
        // Answers the server failed to give stay visible at the default level.
        var level = status >= StatusCodes.Status500InternalServerError
            ? Serilog.Events.LogEventLevel.Warning
            : Serilog.Events.LogEventLevel.Debug;
        if (logger.IsEnabled(level))
        {
            // Checked first: the call boxes its values into an array even when the level is off.
            logger.Write(level, "{Method} {Path} responded {StatusCode} in {Elapsed:0.000} ms",
                context.Request.Method, context.Request.Path.Value, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static void LogWhenReady(WebApplication app, LoadedModel model, StartupTimeline startup, Serilog.ILogger logger)
    {
        var routed = startup.ElapsedMilliseconds;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            startup.Record("kestrel start", routed);
            logger.Information(
                "Ready {ReadyMs:0.0} ms after Main, which began {MainStarted:O}, {ProcessMs:0} ms after the process, "
                + "scoring with {Scorer}: {Phases}",
                startup.ElapsedMilliseconds, startup.MainStarted, startup.ProcessToMainMilliseconds, model.Scorer.Name, startup.Describe());
        });
    }

    private static void MapMlflow(
        WebApplication app, LoadedModel model, Predictor predictor, ServingMetrics metrics, ServingOptions options,
            PredictionLogging logging)
    {
        app.MapPost("/invocations",
            (Func<HttpContext, Task<IResult>>)(context => EndpointGuards.Guard(context, logging, ResponseWriter.MlflowError, async () =>
        {
            var arrived = predictor.Arrive(context.Request.ContentLength);
            RawColumns rows;
            try
            {
                var mediaType = EndpointGuards.RequireContentType(context, "application/json", "text/csv");
                if (mediaType == "text/csv")
                {
                    using var reader = new StreamReader(context.Request.Body);
                    rows = MlflowRequest.ParseCsv(await reader.ReadToEndAsync(context.RequestAborted), model, options.MaxRows);
                }
                else
                {
                    using var body = await RequestBody.ReadAsync(context);
                    rows = MlflowJsonReader.Read(body.Span, model, options.MaxRows, options.StrictColumns);
                    metrics.RecordIgnoredColumns(rows.IgnoredColumns);
                }
            }
            catch when (arrived)
            {
                predictor.Leave();
                throw;
            }

            var scored = await predictor.PredictAsync(rows, arrived);
            logging.Predicted(context, rows, scored);
            return ResponseWriter.Mlflow(model, scored, context.TraceIdentifier);
        })));
    }
}
