using System.Diagnostics;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Layercake.Tests.Development.Experiments;

/// <summary>
/// The store under real contention: separate processes (this test assembly started as a writer, see
/// <see cref="TestProgram"/>) writing at once, and one killed with SIGKILL in the middle of its writes.
/// </summary>
[Category(Categories.Integration)]
public sealed class RunStoreConcurrencyTests
{
    [Test]
    public async Task Two_processes_recording_at_once_both_get_every_run_in()
    {
        using var directory = new TempDirectory();
        var db = directory.File("runs.db");

        using var first = StartWriter(db, "a", 40);
        using var second = StartWriter(db, "b", 40);
        var errors = await Task.WhenAll(first.StandardError.ReadToEndAsync(), second.StandardError.ReadToEndAsync());
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), string.Join("\n", errors));
        await AssertConsistentAsync(db, expectedRuns: 80);
    }

    [Test]
    public async Task Two_connections_writing_in_parallel_tasks_both_get_every_run_in()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.File("runs.db"));

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 25; i++) await store.SaveAsync(SampleRuns.Make($"x-{i}"), CancellationToken.None); }),
            Task.Run(async () => { for (var i = 0; i < 25; i++) await store.SaveAsync(SampleRuns.Make($"y-{i}"), CancellationToken.None); }));

        await AssertConsistentAsync(store.Path, expectedRuns: 50);
    }

    [Test]
    public async Task A_writer_killed_mid_write_leaves_every_run_either_absent_or_complete()
    {
        using var directory = new TempDirectory();
        var db = directory.File("runs.db");
        using var writer = StartWriter(db, "k", 1_000_000);

        // Let it write for a while, then kill it (SIGKILL on Unix) wherever it is: almost always inside a transaction.
        for (var line = 0; line < 30; line++)
        {
            if (await writer.StandardOutput.ReadLineAsync() is null)
            {
                Assert.Fail($"The writer stopped early: {await writer.StandardError.ReadToEndAsync()}");
            }
        }

        writer.Kill();
        await writer.WaitForExitAsync();

        var recorded = await AssertConsistentAsync(db, expectedRuns: null);
        Assert.That(recorded, Is.GreaterThanOrEqualTo(30));
        var store = new RunStore(db);
        await store.SaveAsync(SampleRuns.Make("after-the-kill"), CancellationToken.None);
        Assert.That(await store.FindAsync("after-the-kill", CancellationToken.None), Is.Not.Null, "the store is writable after the crash");
    }

    /// <summary>integrity_check passes and every run has all of its rows; returns how many runs there are.</summary>
    private static async Task<int> AssertConsistentAsync(string db, int? expectedRuns)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        await connection.OpenAsync();
        Assert.That(await ScalarAsync(connection, "PRAGMA integrity_check"), Is.EqualTo("ok"));
        var runs = Convert.ToInt32(await ScalarAsync(connection, "SELECT COUNT(*) FROM runs"));
        if (expectedRuns is { } expected)
        {
            Assert.That(runs, Is.EqualTo(expected));
        }

        var incomplete = await ScalarAsync(connection, $"""
            SELECT COUNT(*) FROM runs r WHERE
                (SELECT COUNT(*) FROM candidates c WHERE c.run_id = r.id) != 3 OR
                (SELECT COUNT(*) FROM metrics m WHERE m.run_id = r.id) != {3 * SampleRuns.MetricNames.Length} OR
                (SELECT COUNT(*) FROM fold_metrics f WHERE f.run_id = r.id) != {SampleRuns.FoldRowsPerRun} OR
                (SELECT COUNT(*) FROM stages s WHERE s.run_id = r.id) != 3
            """);
        var orphans = await ScalarAsync(connection, "SELECT COUNT(*) FROM fold_metrics WHERE run_id NOT IN (SELECT id FROM runs)");
        Assert.That((Convert.ToInt32(incomplete), Convert.ToInt32(orphans)), Is.EqualTo((0, 0)), "runs missing rows, rows without a run");
        return runs;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static Process StartWriter(string db, string prefix, int count)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "Layercake.Tests.dll"), "run-store-writer", db, prefix, count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
