using System.Text.Json.Serialization;

namespace Layercake.Runtime.Manifest.Evaluation;

/// <summary>
/// How a gate compares a metric with its threshold. Written as its symbol (<c>&gt;=</c>, <c>&lt;=</c>, <c>&gt;</c>,
/// <c>&lt;</c>) in pipelines and manifests; any other symbol fails to load, so no reader has to guess what it means.
/// </summary>
[JsonConverter(typeof(ComparisonOperatorJsonConverter))]
public enum ComparisonOperator
{
    GreaterOrEqual,
    LessOrEqual,
    Greater,
    Less,
}
