using System.Text.Json.Nodes;

namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>A deployment the fake GitHub holds, with its statuses oldest first.</summary>
public sealed class FakeDeployment
{
    public required long Id { get; init; }
    public required string Ref { get; init; }
    public required string Task { get; init; }
    public required string Environment { get; init; }
    public required string Description { get; init; }
    public required JsonNode? Payload { get; init; }
    public required bool ProductionEnvironment { get; init; }
    public required bool TransientEnvironment { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The raw request body, as GitHub received it.</summary>
    public required string RequestBody { get; init; }
    public List<FakeDeploymentStatus> Statuses { get; } = [];

    public string? LatestState => Statuses.Count == 0 ? null : Statuses[^1].State;
}
