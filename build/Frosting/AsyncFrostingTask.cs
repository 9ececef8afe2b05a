using Cake.Core;

namespace Layercake.Build.Frosting;

/// <summary>An asynchronous task over a typed context. Override <see cref="RunAsync"/>, and optionally the others.</summary>
public abstract class AsyncFrostingTask<TContext> : IFrostingTask
    where TContext : ICakeContext
{
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;

    /// <summary>False skips the task; an override should log why, since the report only says it was skipped.</summary>
    public virtual bool ShouldRun(TContext context) => true;

    /// <summary>Called when <see cref="RunAsync"/> throws; overriding it handles the error, as in Cake.</summary>
    public virtual void OnError(Exception exception, TContext context)
    {
    }

    public virtual void Finally(TContext context)
    {
    }

    Task IFrostingTask.RunAsync(ICakeContext context) => RunAsync((TContext)context);

    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);

    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);

    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}
