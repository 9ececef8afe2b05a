namespace Layercake.Management.Promotion;

/// <summary>A version that may not go to an environment: its gates failed, or it falls short of the champion there.</summary>
internal sealed class PromotionRefusedException(string message) : Exception(message);
