namespace Layercake.Serving.Observability;

/// <summary>One timed part of a start, in milliseconds after <c>Main</c> began.</summary>
internal sealed record StartupPhase(string Name, double StartedMilliseconds, double Milliseconds);
