using Cake.Core;

namespace Layercake.Build.Frosting;

/// <summary>What the host needs of any task class, sync or async.</summary>
public interface IFrostingTask
{
    Task RunAsync(ICakeContext context);

    bool ShouldRun(ICakeContext context);

    void OnError(Exception exception, ICakeContext context);

    void Finally(ICakeContext context);
}
