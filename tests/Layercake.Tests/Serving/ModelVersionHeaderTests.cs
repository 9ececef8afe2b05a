using Layercake.Serving.Hosting;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>Every answer names the version that gave it, with no proxy in the path: scoring, refusals and health alike.</summary>
[Category(Categories.Unit)]
public sealed class ModelVersionHeaderTests
{
    [TestCase("GET", "v2/health/ready", null)]
    [TestCase("POST", "invocations", "{\"dataframe_records\":[]}")]
    [TestCase("POST", "invocations", "not json")]
    public async Task The_server_sets_X_Model_Version_on_every_answer(string method, string path, string? body)
    {
        await using var server = await ServerFixture.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await server.Http.SendAsync(request);

        Assert.That(response.Headers.GetValues(RequestIds.VersionHeader), Is.EqualTo(new[] { "1.0.0" }),
            $"{method} /{path} answered {(int)response.StatusCode}");
    }
}
