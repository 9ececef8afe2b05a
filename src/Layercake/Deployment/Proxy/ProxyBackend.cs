namespace Layercake.Deployment.Proxy;

/// <summary>One version behind the proxy: its name in the proxy's configuration, its loopback port, its version.</summary>
internal sealed record ProxyBackend(string Name, int Port, string Version);
