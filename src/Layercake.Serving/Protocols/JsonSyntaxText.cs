using System.Text.Json;

namespace Layercake.Serving.Protocols;

/// <summary>
/// A JSON syntax error in words. The NativeAOT server is published with <c>UseSystemResourceKeys</c>, so
/// System.Text.Json's messages are bare resource names ("ExpectedStartOfPropertyOrValueNotFound, x"): those are said
/// again here in words, with the character found. A message already in words (a JIT build) is kept.
/// </summary>
internal static class JsonSyntaxText
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["ExpectedStartOfPropertyOrValueNotFound"] = "expected a property name or a value{0}",
        ["ExpectedStartOfValueNotFound"] = "expected a value{0}",
        ["ExpectedStartOfPropertyNotFound"] = "expected a property name in double quotes{0}",
        ["ExpectedSeparatorAfterPropertyNameNotFound"] = "expected ':' after a property name{0}",
        ["ExpectedValueAfterPropertyNameNotFound"] = "expected a value after ':'{0}",
        ["ExpectedEndAfterSingleJson"] = "expected nothing after the JSON value{0}",
        ["ExpectedEndOfDigitNotFound"] = "a number runs into another character{0}",
        ["ExpectedNextDigitEValueNotFound"] = "expected a digit in a number's exponent{0}",
        ["ExpectedFalse"] = "expected 'false'{0}",
        ["ExpectedTrue"] = "expected 'true'{0}",
        ["ExpectedNull"] = "expected 'null'{0}",
        ["EndOfStringNotFound"] = "a string is not closed by a double quote",
        ["InvalidCharacterWithinString"] = "a control character inside a string must be escaped{0}",
        ["InvalidCharacterAfterEscapeWithinString"] = "an invalid escape in a string{0}",
        ["InvalidHexCharacterWithinString"] = "expected four hex digits after \\u in a string{0}",
        ["RequiredDigitNotFoundAfterDecimal"] = "expected a digit after a number's decimal point{0}",
        ["RequiredDigitNotFoundAfterSign"] = "expected a digit after a number's sign{0}",
        ["RequiredDigitNotFoundEndOfData"] = "the body ends inside a number",
        ["InvalidLeadingZeroInNumber"] = "a number may not start with a zero followed by digits{0}",
        ["TrailingCommaNotAllowedBeforeArrayEnd"] = "a comma before ']' (no trailing commas)",
        ["TrailingCommaNotAllowedBeforeObjectEnd"] = "a comma before '}' (no trailing commas)",
        ["MismatchedObjectArray"] = "a closing bracket or brace that does not match the one opened{0}",
        ["ObjectDepthTooLarge"] = "nested deeper than 64 levels",
        ["ArrayDepthTooLarge"] = "nested deeper than 64 levels",
        ["DepthTooLarge"] = "nested deeper than 64 levels",
        ["ZeroDepthAtEnd"] = "the body ends before the JSON is complete",
        ["ExpectedJsonTokens"] = "the body holds no JSON value",
        ["ExpectedOneCompleteToken"] = "the body ends before the JSON is complete",
        ["NotEnoughData"] = "the body ends before the JSON is complete",
        ["InvalidEndOfJsonNonPrimitive"] = "the body ends before the JSON is complete",
        ["EndOfCommentNotFound"] = "comments are not allowed",
        ["UnexpectedEndOfDataWhileReadingComment"] = "comments are not allowed",
        ["InvalidCharacterAtStartOfComment"] = "comments are not allowed",
        ["ExpectedStartOfPropertyOrValueAfterComment"] = "comments are not allowed",
        ["FoundInvalidCharacter"] = "an unexpected character{0}",
        ["UnexpectedEndOfLineSeparator"] = "an unexpected line separator",
    };

    /// <summary>The reason, without System.Text.Json's own position (the caller gives a 1-based one).</summary>
    public static string Reason(JsonException ex)
    {
        var reason = ex.Message.Split([" LineNumber:", " Path:"], StringSplitOptions.None)[0].TrimEnd(' ', ',', '.');
        var comma = reason.IndexOf(", ", StringComparison.Ordinal);
        var key = comma < 0 ? reason : reason[..comma];
        if (!IsResourceName(key))
        {
            return reason;
        }

        var found = comma < 0 ? "" : reason[(comma + 2)..].Trim();
        var foundText = found.Length == 0 ? "" : $", found '{found}'";
        return Words.TryGetValue(key, out var words) ? words.Replace("{0}", foundText, StringComparison.Ordinal) : "not valid JSON";
    }

    /// <summary>A resource name is one PascalCase word: no spaces, a capital first.</summary>
    private static bool IsResourceName(string text) =>
        text.Length > 3 && char.IsAsciiLetterUpper(text[0]) && text.All(char.IsAsciiLetterOrDigit);
}
