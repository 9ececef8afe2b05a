namespace Layercake.Pipelines;

public enum ComparisonOperator
{
    GreaterOrEqual,
    LessOrEqual,
    Greater,
    Less,
}
