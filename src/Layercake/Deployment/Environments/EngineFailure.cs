using System.Net.Sockets;
using Docker.DotNet;

namespace Layercake.Deployment.Environments;

/// <summary>
/// Tells a Docker engine that went away (killed, restarting, its socket gone) from one that answered with an error:
/// the first leaves the environment's state unknown until the engine is back, so the deploy says that instead of a
/// bare socket error.
/// </summary>
internal static class EngineFailure
{
    public static bool IsLostEngine(Exception error) => Cause(error) is not null;

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
