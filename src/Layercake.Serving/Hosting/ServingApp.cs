using System.Diagnostics;
using System.Net;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Observability;
using Layercake.Serving.PredictionLog;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Mlflow;
using Layercake.Serving.Protocols.OpenInference;
using Layercake.Serving.Protocols.Responses;
using Layercake.Serving.Security;
using Microsoft.AspNetCore.Http.Features;
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
        ServingOptions options, Serilog.ILogger logger, TimeProvider time, Func<string, Stream>? openLogFile, StartupTimeline? startup = null)
    {
        startup ??= new StartupTimeline();
        // The model (ONNX Runtime's library, environment and session) loads on a pool thread while the web host is
        // built; Kestrel listens only once it is loaded, so ready means able to predict
        // (docs/decisions/0041-fast-start-and-package-time-optimisation.md).
        var loading = Task.Run(() => LoadedModel.Load(options.ModelDirectory, startup, options.Scorer));
        var certificate = options.Tls is { } tls ? ServerCertificate.Load(tls, logger, time) : null;
        var hostStarted = startup.ElapsedMilliseconds;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The host watches appsettings.json for changes by default, with a recursive file watcher on the content root:
            // the working directory, "/" in the image, so every directory of the container got an inotify watch, which
            // was ≈ 350 ms of a 400 ms start (docs/decisions/0041-fast-start-and-package-time-optimisation.md). The server
            // reads no settings file, so nothing is watched.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        var drain = options.ReusePort ? new ConnectionDrain(TimeSpan.FromMilliseconds(300), options.ShutdownTimeout / 2) : null;
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

        var completion = new PredictionLogCompletion();
        builder.Services.AddSingleton<IHostedService>(completion);
        var app = builder.Build();
        startup.Record("web host build", hostStarted);
        var waited = startup.ElapsedMilliseconds;
        var model = await loading.ConfigureAwait(false);
        startup.Record("wait for the model", waited);
        var metrics = new ServingMetrics();
        var predictor = new Predictor(model, metrics, options.Batching);
        var predictionLog = options.PredictionLog is { } logOptions
            ? openLogFile is null
                ? new PredictionLogWriter(logOptions, model.Name, model.Version, model.Signature.Classes, time, logger)
                : new PredictionLogWriter(logOptions, model.Name, model.Version, model.Signature.Classes, time, logger, openLogFile)
            : null;
        metrics.PredictionLog = predictionLog;
        app.Lifetime.ApplicationStopped.Register(model.Dispose);
        if (drain is not null)
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

        completion.Writer = predictionLog;
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            context.TraceIdentifier = RequestIds.For(context.Request.Headers[RequestIds.Header].ToString());
            context.Response.Headers[RequestIds.Header] = context.TraceIdentifier;
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
                // A request that ends in an exception is counted as the 500 the server answers, so alerts on 5xx can fire.
                var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.RecordRequest(endpoint, status, Stopwatch.GetElapsedTime(started).TotalSeconds);
                // One line per request is Debug, off by default: written to the console at thousands of requests a second
                // it cost a third more CPU per request (docs/decisions/0044-onnx-runtime-asked-for-the-prediction-only.md),
                // and /metrics counts and times every request anyway.
                // Answers the server failed to give stay visible at the default level.
                var level = status >= StatusCodes.Status500InternalServerError ? Serilog.Events.LogEventLevel.Warning : Serilog.Events.LogEventLevel.Debug;
                if (logger.IsEnabled(level))
                {
                    // Checked first: the call boxes its values into an array even when the level is off.
                    logger.Write(level, "{Method} {Path} responded {StatusCode} in {Elapsed:0.000} ms", context.Request.Method, context.Request.Path.Value, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        });

        RequestGuards.Use(app, options, metrics, logger, time);
        HealthEndpoints.Map(app, model);
        var logging = new PredictionLogging(predictionLog, time);
        MapOpenInference(app, model, predictor, options, logging);
        MapMlflow(app, model, predictor, metrics, options, logging);
        app.MapGet("/metrics", () => Results.Text(metrics.Render(model.Name, model.Version, model.Scorer.Name), "text/plain; version=0.0.4"));
        app.MapGet("/openapi.json", () => Results.Stream(typeof(ServingApp).Assembly.GetManifestResourceStream("openapi.json")!, "application/json"));
        app.MapFallback(() => ResponseWriter.Error(StatusCodes.Status404NotFound, "no such endpoint; see /openapi.json"));
        logger.Information("Serving {Model} {Version} ({Task}) on {Address}:{Port} with the {Scorer} scorer: {ScorerReason}",
            model.Name, model.Version, model.Signature.Task, options.BindAddress, options.Port, model.Scorer.Name, model.ScorerReason);
        var routed = startup.ElapsedMilliseconds;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            startup.Record("kestrel start", routed);
            logger.Information("Ready {ReadyMs:0.0} ms after Main, which began {MainStarted:O}, {ProcessMs:0} ms after the process, scoring with {Scorer}: {Phases}",
                startup.ElapsedMilliseconds, startup.MainStarted, startup.ProcessToMainMilliseconds, model.Scorer.Name, startup.Describe());
        });
        return app;
    }

    private static void MapOpenInference(WebApplication app, LoadedModel model, Predictor predictor, ServingOptions options, PredictionLogging logging)
    {
        IResult? Unknown(string name, string? version) =>
            name != model.Name ? ResponseWriter.Error(StatusCodes.Status404NotFound, $"model '{name}' is not served here; this server serves '{model.Name}'")
            : version is not null && version != model.Version ? ResponseWriter.Error(StatusCodes.Status404NotFound, $"version '{version}' of '{name}' is not served here; this server serves {model.Version}")
            : null;

        IResult Metadata(string name, string? version) => Unknown(name, version) ?? ResponseWriter.Metadata(model);
        IResult Ready(string name, string? version) => Unknown(name, version) ?? ResponseWriter.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", model.Name);
            w.WriteBoolean("ready", true);
            w.WriteEndObject();
        });

        Task<IResult> Infer(HttpContext context, string name, string? version) => EndpointGuards.Guard(context, logging, ResponseWriter.Error, async () =>
        {
            if (Unknown(name, version) is { } unknown)
            {
                return unknown;
            }

            if (OpenInferenceBinaryEndpoint.Accepts(context.Request))
            {
                return await OpenInferenceBinaryEndpoint.InferAsync(context, model, predictor, options.MaxRows, logging);
            }

            var arrived = predictor.Arrive(context.Request.ContentLength);
            OpenInferenceRequest request;
            var binary = BinaryOutputs.None;
            try
            {
                // Triton's HTTP client sends an all-JSON request with no Content-Type; a stated wrong one is refused.
                if (context.Request.ContentType is null)
                {
                    EndpointGuards.RequireBodyWithinLimit(context);
                }
                else
                {
                    EndpointGuards.RequireContentType(context, "application/json");
                }

                using var body = await RequestBody.ReadAsync(context);
                request = OpenInferenceJsonReader.Read(body.Span, model, options.MaxRows);
                binary = OpenInferenceBinaryRequest.ReadBinaryOutputs(body.Span);
            }
            catch when (arrived)
            {
                predictor.Leave();
                throw;
            }

            var scored = await predictor.PredictAsync(request.Rows, arrived);
            logging.Predicted(context, request.Rows, scored);
            return BinaryResponseWriter.Infer(model, request.Id ?? context.TraceIdentifier, scored, request.Outputs, binary);
        });

        app.MapGet("/v2/models/{name}", (string name) => Metadata(name, null));
        app.MapGet("/v2/models/{name}/versions/{version}", (string name, string version) => Metadata(name, version));
        app.MapGet("/v2/models/{name}/ready", (string name) => Ready(name, null));
        app.MapGet("/v2/models/{name}/versions/{version}/ready", (string name, string version) => Ready(name, version));
        app.MapPost("/v2/models/{name}/infer", (HttpContext context, string name) => Infer(context, name, null));
        app.MapPost("/v2/models/{name}/versions/{version}/infer", (HttpContext context, string name, string version) => Infer(context, name, version));
    }

    private static void MapMlflow(
        WebApplication app, LoadedModel model, Predictor predictor, ServingMetrics metrics, ServingOptions options, PredictionLogging logging)
    {
        app.MapPost("/invocations", (Func<HttpContext, Task<IResult>>)(context => EndpointGuards.Guard(context, logging, ResponseWriter.MlflowError, async () =>
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
