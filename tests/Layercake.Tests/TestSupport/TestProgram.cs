using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one does nothing): <c>dotnet Layercake.Tests.dll
/// run-store-writer &lt;db&gt; &lt;prefix&gt; &lt;count&gt;</c> records made-up runs one after another, so a test can
/// run two writers at once or kill one in the middle of a write. Test runners never call it.
/// </summary>
public static class TestProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["run-store-writer", var db, var prefix, var count])
        {
            await Console.Error.WriteLineAsync("usage: run-store-writer <db> <prefix> <count>");
            return 2;
        }

        var store = new RunStore(db);
        for (var i = 0; i < int.Parse(count, System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            await store.SaveAsync(SampleRuns.Make($"{prefix}-{i:D5}", started: DateTimeOffset.UnixEpoch.AddMinutes(i)), CancellationToken.None);
            Console.WriteLine(i);
        }

        return 0;
    }
}
