using Cake.Core;

namespace Layercake.Build.Frosting;

/// <summary>Asynchronous setup and teardown over a typed context.</summary>
public abstract class AsyncFrostingLifetime<TContext> : IAsyncFrostingLifetime
    where TContext : ICakeContext
{
    public abstract Task SetupAsync(TContext context, IReadOnlyList<string> tasksToExecute);

    public abstract Task TeardownAsync(TContext context, Exception? failure);

    Task IAsyncFrostingLifetime.SetupAsync(ICakeContext context, IReadOnlyList<string> tasksToExecute) =>
        SetupAsync((TContext)context, tasksToExecute);

    Task IAsyncFrostingLifetime.TeardownAsync(ICakeContext context, Exception? failure) => TeardownAsync((TContext)context, failure);
}
