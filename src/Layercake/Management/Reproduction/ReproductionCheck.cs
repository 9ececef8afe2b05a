namespace Layercake.Management.Reproduction;

/// <summary>One thing Reproduce compared: what the registered version holds, what the rebuild made, and the verdict.</summary>
/// <param name="Matched">True when equal, false when different, null when it could not be compared (and why is in <paramref
/// name="Rebuilt"/>).</param>
public sealed record ReproductionCheck(string Item, string Registered, string Rebuilt, bool? Matched);
