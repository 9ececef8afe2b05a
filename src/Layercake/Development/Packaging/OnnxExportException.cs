namespace Layercake.Development.Packaging;

/// <summary>
/// A trained model that does not become a valid, scoring ONNX graph, said in one line: the trainer and the reason,
/// never ONNX Runtime's C++ signature.
/// </summary>
internal sealed class OnnxExportException(string trainer, string reason, Exception? inner = null)
    : Exception($"Trainer '{trainer}' cannot be packaged: {reason}", inner)
{
    public string Trainer { get; } = trainer;
    public string Reason { get; } = reason;

    /// <summary>
    /// The readable part of an export or ONNX Runtime error. ONNX Runtime's enforce messages read
    /// "file:line signature condition was false. reason"; only the reason says anything to a user.
    /// </summary>
    public static string ReasonOf(Exception error)
    {
        var message = error.Message;
        const string marker = " was false. ";
        var at = message.LastIndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            message = message[(at + marker.Length)..];
        }

        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? error.GetType().Name;
        return line.Length <= 200 ? line : line[..197] + "...";
    }
}
