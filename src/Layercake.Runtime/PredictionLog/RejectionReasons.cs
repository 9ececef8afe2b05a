namespace Layercake.Runtime.PredictionLog;

/// <summary>
/// Why the server turned a request down, as the log's <c>reason</c> field says it: a short fixed word per kind of
/// fault, so Monitor can count rejected rows per reason without reading the messages, which name fields and values.
/// </summary>
public static class RejectionReasons
{
    /// <summary>The body is not a request of the protocol (not JSON, wrong structure, shapes that disagree).</summary>
    public const string Malformed = "malformed";
    public const string UnknownFeature = "unknown_feature";
    public const string MissingFeature = "missing_feature";
    /// <summary>A value of the wrong type, not a finite float32, or one the cleaning cannot take.</summary>
    public const string InvalidValue = "invalid_value";
    public const string EmptyBatch = "empty_batch";
    public const string TooManyRows = "too_many_rows";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string BodyTooLarge = "body_too_large";
    /// <summary>Valid inputs the model answered with a non-finite output.</summary>
    public const string NonFiniteOutput = "non_finite_output";
}
