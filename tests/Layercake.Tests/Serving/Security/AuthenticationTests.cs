using System.Net;
using System.Text.Json;
using Layercake.Tests.TestSupport;
using static Layercake.Tests.Serving.Security.AuthenticatedServer;

namespace Layercake.Tests.Serving.Security;

/// <summary>The real server with tokens required: who gets in, who gets a 401 and in which shape, and what stays open.</summary>
[Category(Categories.Unit)]
public sealed class AuthenticationTests
{
    [Test]
    public async Task Without_a_token_scoring_is_a_401_in_MLflow_shape_with_a_Bearer_challenge()
    {
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, TokenA));
        var (status, body, response) = await ScoreAsync(server, null);
        using (response)
        {
            using var json = JsonDocument.Parse(body);
            Assert.Multiple(() =>
            {
                Assert.That(status, Is.EqualTo(401));
                Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
                Assert.That(json.RootElement.GetProperty("error_code").GetString(), Is.EqualTo("UNAUTHENTICATED"));
                Assert.That(body, Does.Not.Contain(TokenA));
            });
        }
    }

    [TestCase("v2/models/penguins")]
    [TestCase("v2/models/penguins/ready")]
    [TestCase("v2/models/penguins/versions/1.0.0")]
    [TestCase("v2")]
    [TestCase("openapi.json")]
    [TestCase("metrics")]
    [TestCase("no/such/endpoint")]
    public async Task Metadata_metrics_and_unknown_paths_need_a_token_too(string path)
    {
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, TokenA));
        using var response = await server.Http.GetAsync(path);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(json.RootElement.TryGetProperty("error", out _), "Open Inference's error shape");
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        });
    }

    [TestCase("v2/health/live")]
    [TestCase("v2/health/ready")]
    [TestCase("ping")]
    [TestCase("health")]
    public async Task Liveness_and_readiness_stay_open(string path)
    {
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, TokenA));
        Assert.That((await server.GetAsync(path)).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Every_token_in_the_file_is_accepted_as_Bearer_or_X_Api_Key()
    {
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, "# rotated in on Monday", TokenA, "", TokenB));
        var statuses = new List<int>();
        Action<System.Net.Http.Headers.HttpRequestHeaders> spaced = h => h.TryAddWithoutValidation("Authorization", $"bearer   {TokenA}");
        foreach (var authorize in new[] { Bearer(TokenA), Bearer(TokenB), ApiKey(TokenA), ApiKey(TokenB), spaced })
        {
            var (status, body, response) = await ScoreAsync(server, authorize);
            response.Dispose();
            statuses.Add(status);
            Assert.That(body, Does.Contain("predictions"));
        }

        Assert.That(statuses, Is.All.EqualTo(200));
    }

    [Test]
    public async Task A_wrong_token_a_prefix_of_a_right_one_or_a_longer_one_is_refused()
    {
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, TokenA));
        foreach (var wrong in new[] { TokenB, TokenA[..^1], TokenA + "x", TokenA.ToUpperInvariant() })
        {
            var (bearer, _, r1) = await ScoreAsync(server, Bearer(wrong));
            var (apiKey, _, r2) = await ScoreAsync(server, ApiKey(wrong));
            r1.Dispose();
            r2.Dispose();
            Assert.That((bearer, apiKey), Is.EqualTo((401, 401)), wrong);
        }
    }

    [Test]
    public async Task Metrics_answer_without_a_token_when_set_open_and_count_the_refusals()
    {
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, TokenA), metricsOpen: true);
        (await ScoreAsync(server, Bearer(TokenB))).Response.Dispose();
        var metrics = await server.GetAsync("metrics");
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metrics.Body, Does.Contain("layercake_auth_refused_total{model=\"penguins\",version=\"1.0.0\"} 1"));
            Assert.That(metrics.Body, Does.Contain("endpoint=\"/invocations\",status=\"401\"} 1"));
        });
    }

    [Test]
    public async Task Tokens_are_never_written_to_the_log()
    {
        using var temp = new TempDirectory();
        var log = new LogText();
        await using (var server = await StartAsync(TokensFile(temp, TokenA), logger: log.Logger))
        {
            (await ScoreAsync(server, Bearer(TokenA))).Response.Dispose();
            (await ScoreAsync(server, Bearer(TokenB))).Response.Dispose();
            await File.WriteAllTextAsync(temp.File("tokens"), "short\n");
            await Task.Delay(600);
        }

        Assert.Multiple(() =>
        {
            Assert.That(log.Text, Does.Contain("not usable"), "the bad file was reported");
            Assert.That(log.Text, Does.Not.Contain(TokenA).And.Not.Contain(TokenB).And.Not.Contain("tok-"));
        });
    }

    [Test]
    public async Task Every_protected_operation_documents_its_401_and_the_refusal_matches_the_schema()
    {
        using var temp = new TempDirectory();
        await using var server = await StartAsync(TokensFile(temp, TokenA));
        using var get = new HttpRequestMessage(HttpMethod.Get, "openapi.json");
        get.Headers.Authorization = new("Bearer", TokenA);
        using var documentResponse = await server.Http.SendAsync(get);
        var document = OpenApiDocument.Parse(await documentResponse.Content.ReadAsStringAsync());
        var problems = new List<string>();
        var protectedOperations = document.Operations
            .Where(o => !o.Path.Contains("health", StringComparison.Ordinal) && o.Path is not "/ping" and not "/health");
        foreach (var (method, template) in protectedOperations)
        {
            var path = template.Replace("{name}", "penguins", StringComparison.Ordinal)
                .Replace("{version}", "1.0.0", StringComparison.Ordinal).TrimStart('/');
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
            using var response = await server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != 401)
            {
                problems.Add($"{method} {template}: {(int)response.StatusCode}");
                continue;
            }

            var schema = document.ResponseSchema(method, template, 401, "application/json");
            problems.AddRange(schema is null ? [] : OpenApiDocument.Errors(schema, text).Select(e => $"{method} {template}: {e}"));
        }

        Assert.That(problems, Is.Empty);
    }

    [TestCase("", "no token")]
    [TestCase("short-token\n", "at least 16 bytes")]
    [TestCase("# only a comment\n\n", "no token")]
    public void A_bad_tokens_file_stops_the_server_at_start_naming_it(string content, string expected)
    {
        using var temp = new TempDirectory();
        var file = temp.Write("tokens", content);
        var ex = Assert.ThrowsAsync<InvalidDataException>(async () => await (await StartAsync(file)).DisposeAsync());
        Assert.That(ex!.Message, Does.Contain(file).And.Contain(expected));
    }
}
