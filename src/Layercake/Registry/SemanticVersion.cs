using System.Globalization;

namespace Layercake.Registry;

/// <summary>A model version, MAJOR.MINOR.PATCH. Each new registration bumps MINOR unless a version is given.</summary>
public readonly record struct SemanticVersion(int Major, int Minor, int Patch) : IComparable<SemanticVersion>
{
    public static SemanticVersion First { get; } = new(1, 0, 0);

    public static bool TryParse(string text, out SemanticVersion version)
    {
        version = default;
        var parts = text.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (parts[i].Length == 0 || (parts[i].Length > 1 && parts[i][0] == '0') || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public static SemanticVersion Parse(string text, string source) =>
        TryParse(text, out var version)
            ? version
            : throw new ArgumentException($"{source}: '{text}' is not a version; expected MAJOR.MINOR.PATCH such as 1.4.0");

    public SemanticVersion NextMinor() => new(Major, Minor + 1, 0);

    public int CompareTo(SemanticVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
