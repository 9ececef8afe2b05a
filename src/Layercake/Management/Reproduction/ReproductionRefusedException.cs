namespace Layercake.Management.Reproduction;

/// <summary>Reproduce cannot start: the recorded data changed or is gone, or the recorded commit or pipeline cannot be had.</summary>
internal sealed class ReproductionRefusedException(string message) : Exception(message);
