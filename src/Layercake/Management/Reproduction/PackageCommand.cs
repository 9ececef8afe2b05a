namespace Layercake.Management.Reproduction;

/// <summary>The arguments after <c>build.sh</c> that make the build package a pipeline's version, as the host spells them.</summary>
public delegate IReadOnlyList<string> PackageCommand(string pipeline, string version);
