using Cake.Core;

namespace Layercake.Build.Frosting;

/// <summary>Runs before and after each task, as Frosting's task lifetime does.</summary>
public interface IFrostingTaskLifetime
{
    void Setup(ICakeContext context, ITaskSetupContext info);

    void Teardown(ICakeContext context, ITaskTeardownContext info);
}
