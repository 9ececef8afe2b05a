using System.Diagnostics;
using Layercake.Tests.TestSupport;
using static Layercake.Tests.Serving.Security.AuthenticatedServer;

namespace Layercake.Tests.Serving.Security;

/// <summary>
/// A key rotated as an operator would, by rewriting the mounted file while a client keeps scoring: the new token is
/// honoured and the old one refused within 5 s, with no restart, and the client that follows the rotation never fails.
/// </summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class TokenRotationTests
{
    private static readonly TimeSpan Honoured = TimeSpan.FromSeconds(5);

    [Test]
    public async Task A_rotated_token_is_honoured_within_5_s_without_a_restart_or_a_failed_request()
    {
        using var temp = new TempDirectory();
        var file = TokensFile(temp, TokenA);
        await using var server = await StartAsync(file);
        var failures = 0;
        var current = TokenA;
        using var stop = new CancellationTokenSource();
        var client = Task.Run(async () =>
        {
            var sent = 0;
            while (!stop.IsCancellationRequested)
            {
                var (status, _, response) = await ScoreAsync(server, Bearer(Volatile.Read(ref current)));
                response.Dispose();
                failures += status == 200 ? 0 : 1;
                sent++;
            }

            return sent;
        });

        // Step 1: both tokens valid, as in a rotation's overlap; the new one gets in within 5 s.
        await File.WriteAllTextAsync(file, $"{TokenA}\n{TokenB}\n");
        var newAccepted = await WaitForAsync(server, TokenB, 200);
        Volatile.Write(ref current, TokenB);

        // Step 2: the old token is withdrawn; it is refused within 5 s while the client, now on the new one, goes on.
        await File.WriteAllTextAsync(file, $"{TokenB}\n");
        var oldRefused = await WaitForAsync(server, TokenA, 401);
        await Task.Delay(300);
        await stop.CancelAsync();
        var sent = await client;
        TestContext.Out.WriteLine($"new token honoured after {newAccepted.TotalMilliseconds:0} ms, " +
            $"old refused after {oldRefused.TotalMilliseconds:0} ms; {sent} requests, {failures} failed");
        Assert.Multiple(() =>
        {
            Assert.That(newAccepted, Is.LessThan(Honoured));
            Assert.That(oldRefused, Is.LessThan(Honoured));
            Assert.That(failures, Is.Zero, "the client following the rotation never failed");
            Assert.That(sent, Is.GreaterThan(10));
        });
    }

    private static async Task<TimeSpan> WaitForAsync(ServerFixture server, string token, int wanted)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Honoured + Honoured)
        {
            var (status, _, response) = await ScoreAsync(server, Bearer(token));
            response.Dispose();
            if (status == wanted)
            {
                return clock.Elapsed;
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }
}
