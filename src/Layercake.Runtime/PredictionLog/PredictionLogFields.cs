namespace Layercake.Runtime.PredictionLog;

/// <summary>
/// The property names of a prediction log line, as UTF-8: the server writes them with Utf8JsonWriter and Monitor
/// matches them with Utf8JsonReader.ValueTextEquals, so neither side transcodes a name per line. One line per row
/// scored: <c>{"time","request_id","row","model","version","inputs":{column:value,…},"outputs":{"label","probabilities":{class:p,…}}}</c>
/// (regression: <c>"outputs":{"value"}</c>), in that order, which the reader relies on to stop early; one line per
/// rejected request: <c>{"time","request_id","model","version","status","error","reason","rejected_rows"}</c> (the reason one of
/// <see cref="RejectionReasons"/>, the rows as many as the request declared when the server read that far, else 1).
/// </summary>
public static class PredictionLogFields
{
    public static ReadOnlySpan<byte> Time => "time"u8;
    public static ReadOnlySpan<byte> RequestId => "request_id"u8;
    public static ReadOnlySpan<byte> Row => "row"u8;
    public static ReadOnlySpan<byte> Model => "model"u8;
    public static ReadOnlySpan<byte> Version => "version"u8;
    public static ReadOnlySpan<byte> Inputs => "inputs"u8;
    public static ReadOnlySpan<byte> Outputs => "outputs"u8;
    public static ReadOnlySpan<byte> Status => "status"u8;
    public static ReadOnlySpan<byte> Error => "error"u8;
    public static ReadOnlySpan<byte> Reason => "reason"u8;
    public static ReadOnlySpan<byte> RejectedRows => "rejected_rows"u8;

    // Inside "outputs": the same names as the model's outputs (Scoring.OutputNames); a test keeps them equal.
    public static ReadOnlySpan<byte> Label => "label"u8;
    public static ReadOnlySpan<byte> Probabilities => "probabilities"u8;
    public static ReadOnlySpan<byte> Value => "value"u8;
}
