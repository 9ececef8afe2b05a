using Cake.Core;

namespace Layercake.Build.Frosting;

/// <summary>Runs once before the first task and once after the last, whatever the outcome.</summary>
public interface IFrostingLifetime
{
    void Setup(ICakeContext context, ISetupContext info);

    void Teardown(ICakeContext context, ITeardownContext info);
}
