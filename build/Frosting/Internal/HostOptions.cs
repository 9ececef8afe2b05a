using Cake.Core.Diagnostics;

namespace Layercake.Build.Frosting.Internal;

/// <summary>The options the host itself understands, as Cake names them; everything else is a script argument.</summary>
internal sealed record HostOptions(
    string Target,
    Verbosity Verbosity,
    string? WorkingDirectory,
    bool DryRun,
    bool Exclusive,
    bool Tree,
    bool Description,
    bool Version,
    bool Help,
    ILookup<string, string> Arguments);
