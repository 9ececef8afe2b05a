using System.Diagnostics;
using Layercake.Runtime.PredictionLog;
using System.Net;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;
using Layercake.Serving.Observability;
using Layercake.Serving.PredictionLog;
using Layercake.Serving.Protocols;
using Layercake.Serving.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Serilog;
using Serilog.Extensions.Logging;

namespace Layercake.Serving.Hosting;

/// <summary>What every scoring endpoint checks before it reads a body, and how a refusal is answered.</summary>
internal static class EndpointGuards
{
    /// <summary>Bad input becomes a 4xx with a message in the protocol's error shape; only a fault of the server itself is a 500.</summary>
    internal static async Task<IResult> Guard(HttpContext context, PredictionLogging logging, Func<int, string, IResult> error,
        Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (RequestException ex)
        {
            logging.Rejected(context, ex.Status, ex.Message, ex.Reason, ex.Rows ?? 1);
            if (ex.Status == StatusCodes.Status413PayloadTooLarge)
            {
                // The body was not read, so the connection cannot carry another request.
                context.Response.Headers.Connection = "close";
            }

            return error(ex.Status, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            var message = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "the body is larger than this server's limit"
                : ex.Message;
            logging.Rejected(context, ex.StatusCode, message, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RejectionReasons.BodyTooLarge : RejectionReasons.Malformed, 1);
            return error(ex.StatusCode, message);
        }
    }

    internal static string RequireContentType(HttpContext context, params string[] accepted)
    {
        // The size first: a body refused unread that is over the limit cannot be drained, so Kestrel closes the
        // connection; only a 413 tells the client so (Connection: close), where a 415 left it to send its next request
        // into a closed connection (found by fuzzing).
        RequireBodyWithinLimit(context);
        var contentType = context.Request.ContentType;
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !accepted.Contains(mediaType))
        {
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{contentType ?? "(none)"}' is not supported here; send {string.Join(" or ", accepted)}",
                    RejectionReasons.UnsupportedMediaType);
        }

        return mediaType;
    }

    internal static void RequireBodyWithinLimit(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            throw new RequestException(StatusCodes.Status413PayloadTooLarge,
                $"the body is {context.Request.ContentLength} bytes; this server takes at most {max}", RejectionReasons.BodyTooLarge);
        }
    }
}
