using Cake.Core;

namespace Layercake.Build.Frosting;

/// <summary>
/// Asynchronous work before the first task and after the last, run by the host around the engine, because Cake's engine
/// takes only synchronous setup and teardown actions. It runs for a real build only, never for --tree, --description or
/// --dryrun.
/// </summary>
public interface IAsyncFrostingLifetime
{
    /// <summary>Called with the tasks the target will run, in order; a throw ends the build before any task runs.</summary>
    Task SetupAsync(ICakeContext context, IReadOnlyList<string> tasksToExecute);

    /// <summary>Called once the engine is done, with the build's failure if it failed.</summary>
    Task TeardownAsync(ICakeContext context, Exception? failure);
}
