using Layercake.Batch.Tables;
using Layercake.Management.Promotion;
using Layercake.Pipelines.Gates;
using Layercake.Shared.Errors;

namespace Layercake.Build;

/// <summary>
/// The library says what is wrong in the domain's words; this turns it into the command line's: a setting becomes the
/// flag that gives it, and a missing image or version gets the target that makes one.
/// </summary>
public static class CommandLineAdvice
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [SettingNames.ModelVersion] = "model-version",
        [SettingNames.Run] = "from-run",
        [SettingNames.Runs] = "runs",
        [SettingNames.Outcome] = "outcome",
        [SettingNames.Format] = "format",
        [SettingNames.Limit] = "limit",
        [SettingNames.Since] = "since",
    };

    /// <summary>The arguments after <c>build.sh</c> that package a pipeline's version (Reproduce runs them in a work tree).</summary>
    public static IReadOnlyList<string> PackageCommand(string pipeline, string version) =>
        ["--target=Package", $"--pipeline={pipeline}", $"--model-version={version}"];

    /// <summary>The error as the console prints it.</summary>
    public static string Describe(Exception error)
    {
        if (error is InvalidSettingException setting && Flags.TryGetValue(setting.Setting, out var flag))
        {
            return $"--{flag}={setting.Value}: {setting.Problem}";
        }

        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ImageNotFoundException { Version: { } version }:
                    return $"{error.Message} Build it with --target=BuildImage --exclusive --model-version={version}.";
                case ImageNotFoundException:
                    return $"{error.Message} Build one with --target=BuildImage.";
                case PromotionRefusedException { ChampionGate: true }:
                    return $"{error.Message} Nothing was deployed; --force deploys it anyway and records the override.";
                case TableExistsException:
                    return $"{error.Message} --replace replaces it.";
                case NothingRegisteredException:
                    return $"{error.Message} Run --target=Package first.";
            }
        }

        return error.Message;
    }
}
