using System.Net.Sockets;
using Docker.DotNet;

namespace Layercake.Deployment.Environments;

/// <summary>
/// Tells a Docker engine that went away (killed, restarting, its socket gone) from one that answered with an error,
/// and from a connection that broke while the engine stayed up: the first leaves the environment's state unknown
/// until the engine is back, so the deploy says that instead of a bare socket error; the others are reported as what
/// they were.
/// </summary>
internal static class EngineFailure
{
    /// <summary>
    /// A connection error in the chain is only a sign: a cut log stream or the served model refusing the smoke test
    /// gives the same exceptions while the engine is up. The chain is the cheap first filter; only then is the engine
    /// asked, with the probe's own timeout and never the deploy's token (a cancelled deploy still deserves the truth).
    /// </summary>
    public static async Task<bool> IsLostEngineAsync(Exception error, IDeploymentTarget target) =>
        error is not OperationCanceledException && IsConnectionError(error)
        && !await target.EngineAnswersAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>Whether the error came from a connection that failed, as a lost engine's calls do; not proof of one.</summary>
    public static bool IsConnectionError(Exception error) => Cause(error) is not null;

    public static string Describe(Exception error) =>
        $"the Docker engine stopped answering ({(Cause(error) ?? error).Message})";

    /// <summary>
    /// The deepest connection error in the chain ("Connection refused" rather than the client's "The request failed");
    /// anything under it that is not one (the client's parsing of a cut-off answer) says less.
    /// </summary>
    private static Exception? Cause(Exception error)
    {
        Exception? cause = null;
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is DockerApiException)
            {
                return null;
            }

            if (e is SocketException or HttpRequestException or IOException)
            {
                cause = e;
            }
        }

        return cause;
    }
}
