using System.Net.Http.Headers;
using System.Text;
using Layercake.Serving.Security;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving.Security;

/// <summary>A real server that requires one of the tokens in a file it re-reads every 200 ms.</summary>
internal static class AuthenticatedServer
{
    public const string TokenA = "tok-A-7f3c9e1b2d4a6f80";
    public const string TokenB = "tok-B-0e8d6c4a2b1f3e57";
    public const string MlflowBody =
        """{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":""" +
        """215,"Body Mass (g)":null,"Sex":null}]}""";

    public static Task<ServerFixture> StartAsync(string tokensFile, bool metricsOpen = false, Serilog.ILogger? logger = null) =>
        ServerFixture.StartAsync(logger: logger, configure: o => o with
        {
            Auth = new AuthOptions(tokensFile, null, metricsOpen) { ReloadInterval = TimeSpan.FromMilliseconds(200) },
        });

    /// <summary>POSTs a penguin to MLflow's endpoint with <paramref name="authorize"/> setting the credential.</summary>
    public static async Task<(int Status, string Body, HttpResponseMessage Response)> ScoreAsync(
        ServerFixture server, Action<HttpRequestHeaders>? authorize, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "invocations")
        {
            Content = new StringContent(MlflowBody, Encoding.UTF8, "application/json"),
        };
        authorize?.Invoke(request.Headers);
        var response = await server.Http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), response);
    }

    public static Action<HttpRequestHeaders> Bearer(string token) => h => h.TryAddWithoutValidation("Authorization", $"Bearer {token}");

    public static Action<HttpRequestHeaders> ApiKey(string token) =>
        h => h.TryAddWithoutValidation(TokenAuthentication.ApiKeyHeader, token);

    public static string TokensFile(TempDirectory temp, params string[] tokens) => temp.Write("tokens", string.Join('\n', tokens) + "\n");
}
