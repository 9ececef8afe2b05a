namespace Layercake.Batch.Tables;

/// <summary>What an output table's column holds: text, a kept input number (double), or a model's output (float32).</summary>
internal enum TableValueKind
{
    Text,
    Double,
    Float,
}
