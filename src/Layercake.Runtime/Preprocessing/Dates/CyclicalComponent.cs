namespace Layercake.Runtime.Preprocessing.Dates;

/// <summary>
/// How a date part reaches the model: as its value, or as one coordinate of its position on a circle, so that
/// December sits next to January and 23:00 next to midnight.
/// </summary>
public enum CyclicalComponent
{
    None,
    Sine,
    Cosine,
}
