namespace Layercake.Tests.TestSupport;

/// <summary>NUnit categories: fast in-process tests, and tests that run whole processes or real engines.</summary>
public static class Categories
{
    public const string Unit = "Unit";
    public const string Integration = "Integration";
    public const string Docker = "Docker";
}
