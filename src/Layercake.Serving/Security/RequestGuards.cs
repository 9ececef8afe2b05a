using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Layercake.Serving.Admission;
using Layercake.Serving.Hosting;
using Layercake.Serving.Observability;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Layercake.Serving.Security;

/// <summary>
/// What stands between a caller and the model, in order: the token check (off unless tokens are configured), then the
/// bound on scoring work in progress (off unless set). Both answer before the body is read.
/// </summary>
internal static class RequestGuards
{
    /// <summary>The server's port, with HTTPS when a certificate is given; the loopback admin port stays plain HTTP.</summary>
    public static void Listen(KestrelServerOptions kestrel, IPAddress address, int port, X509Certificate2? certificate)
    {
        // Header values are read as Latin-1 instead of refused when they hold bytes outside ASCII: a credential with such
        // bytes then gets the token check's 401 like any other wrong one, not a bare 400 from the HTTP parser.
        kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
        kestrel.Listen(address, port, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        });
    }

    public static void Use(WebApplication app, ServingOptions options, ServingMetrics metrics, Serilog.ILogger logger, TimeProvider time)
    {
        if (options.Auth.Enabled)
        {
            var tokens = TokenStore.Load(options.Auth, Environment.GetEnvironmentVariable, logger, time);
            app.Lifetime.ApplicationStopping.Register(() => _ = tokens.DisposeAsync().AsTask());
            var authentication = new TokenAuthentication(tokens, options.Auth);
            metrics.Authentication = authentication;
            app.Use(authentication.InvokeAsync);
        }

        if (options.Admission.MaxConcurrent is not null)
        {
            var gate = new AdmissionGate(options.Admission, time);
            app.Lifetime.ApplicationStopped.Register(() => _ = gate.DisposeAsync().AsTask());
            metrics.Admission = gate;
            app.Use(gate.InvokeAsync);
        }
    }
}
