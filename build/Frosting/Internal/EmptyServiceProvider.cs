namespace Layercake.Build.Frosting.Internal;

/// <summary>Cake's context asks for a service provider; this host registers no services in it.</summary>
internal sealed class EmptyServiceProvider : IServiceProvider
{
    public object? GetService(Type serviceType) => null;
}
