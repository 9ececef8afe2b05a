namespace Layercake.Runtime.Preprocessing.Dates;

/// <summary>
/// How a date column becomes numbers: the format its values are read with (null: ISO-8601) and the numeric
/// inputs computed from each value, in model order.
/// </summary>
public sealed record DateEncoding(string? Format, IReadOnlyList<DatePartTensor> Outputs);
