using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Layercake.Tests.TestSupport;
using static Layercake.Tests.Serving.Security.AuthenticatedServer;

namespace Layercake.Tests.Serving.Security;

/// <summary>
/// Without a valid token nothing but health gets through: the serving fuzz corpus sent with no or wrong credentials,
/// and mutated <c>Authorization</c> and <c>X-Api-Key</c> headers written byte for byte on a raw socket (doubled headers,
/// other schemes, near-misses of the real token, stray spaces, huge values, bytes outside ASCII). Every one is a 401 and
/// none a 5xx. The seed is fixed so a failure replays; <c>LAYERCAKE_FUZZ_SEED</c> tries another.
/// </summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class AuthHeaderFuzzTests
{
    private const int Requests = 600;

    [Test]
    public async Task Mutated_credentials_and_the_serving_corpus_are_all_refused_with_401_and_never_a_5xx()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LAYERCAKE_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen)
            ? chosen
            : 20261207;
        var random = new Random(seed);
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, TokenA, TokenB));
        var corpus = new RequestFuzzer(seed);
        var statuses = new ConcurrentDictionary<int, int>();
        var problems = new ConcurrentBag<string>();
        var requests = Enumerable.Range(0, Requests).Select(_ => (Corpus: corpus.Next(), Credential: Credential(random))).ToArray();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, cancellation) =>
        {
            var status = await SendRawAsync(server.Port, request.Corpus, request.Credential, cancellation);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status != 401)
            {
                problems.Add($"{status} for [{Printable(request.Credential)}] on {request.Corpus.Path} ({request.Corpus.Mutation})");
            }
        });

        var (valid, _, response) = await ScoreAsync(server, Bearer(TokenB));
        response.Dispose();
        var counted = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        TestContext.Out.WriteLine($"seed {seed}: {Requests} requests, statuses {counted}");
        Assert.Multiple(() =>
        {
            Assert.That(problems.Take(20), Is.Empty, $"seed {seed}: {problems.Count} of {Requests} were not a 401");
            Assert.That(statuses.Keys, Has.None.GreaterThanOrEqualTo(500));
            Assert.That(valid, Is.EqualTo(200), "a valid token still scores afterwards");
        });
    }

    /// <summary>Header lines (CRLF-terminated, possibly none) carrying a credential that is not valid.</summary>
    private static string Credential(Random random)
    {
        var near = random.Next(4) switch
        {
            0 => TokenA[..random.Next(TokenA.Length)],
            1 => TokenA + (char)random.Next(33, 127),
            2 => TokenA.Remove(random.Next(TokenA.Length), 1)
                .Insert(random.Next(TokenA.Length - 1), ((char)random.Next(33, 127)).ToString()),
            _ => new string(Enumerable.Range(0, random.Next(1, 64)).Select(_ => (char)random.Next(33, 127)).ToArray()),
        };
        if (near == TokenA || near == TokenB)
        {
            near += "!";
        }

        return random.Next(16) switch
        {
            0 => "",
            1 => "Authorization: \r\n",
            2 => "Authorization: Bearer\r\n",
            3 => "Authorization: Bearer \r\n",
            4 => $"Authorization: Basic {Convert.ToBase64String(Encoding.ASCII.GetBytes("user:" + TokenA))}\r\n",
            5 => $"Authorization: Bearer {TokenA} {TokenB}\r\n",
            6 => $"Authorization: Bearer {near}\r\nAuthorization: Bearer {TokenA}\r\n",
            7 => $"Authorization: Token {TokenA}\r\n",
            8 => $"Authorization: Bearer{TokenA}\r\n",
            9 => $"Authorization: Bearer {new string('x', random.Next(5000, 7000))}\r\n",
            10 => $"X-Api-Key: {near}\r\n",
            11 => $"X-Api-Key: {near}\r\nX-Api-Key: {TokenA}\r\n",
            12 => $"Authorization: Bearer {near}\u00e9\u00ff\r\n",
            13 => $"Authorization: {near}\r\n",
            14 => $"Authorization: Bearer {near}\r\nX-Api-Key: {near}\r\n",
            _ => $"Authorization: Bearer {near}\r\n",
        };
    }

    /// <summary>One request written byte for byte (headers as Latin-1), answered on a closing connection: its status.</summary>
    private static async Task<int> SendRawAsync(int port, RequestFuzzer.Request request, string credential, CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellation);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST /{request.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
            .Append(request.ContentType is null ? "" : $"Content-Type: {request.ContentType}\r\n")
            .Append(request.InferenceHeader is null ? "" : $"{BinaryInference.HeaderName}: {request.InferenceHeader}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {request.Body.Length}\r\n")
            .Append(credential).Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellation);
        await stream.WriteAsync(request.Body, cancellation);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync(cancellation) ?? "";
        var parts = statusLine.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status) ? status : -1;
    }

    private static string Printable(string credential)
    {
        var text = credential.Replace("\r\n", " | ", StringComparison.Ordinal);
        return text.Length > 120 ? text[..120] + "…" : text;
    }
}
