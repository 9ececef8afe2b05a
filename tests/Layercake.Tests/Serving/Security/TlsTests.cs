using System.Text;
using Layercake.Serving.Security;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving.Security;

/// <summary>HTTPS from PEM files in the real server, and a certificate whose key is another's refused at start.</summary>
[Category(Categories.Unit)]
public sealed class TlsTests
{
    [Test]
    public async Task The_server_speaks_HTTPS_with_the_PEM_certificate_and_requires_the_token_over_it()
    {
        using var temp = new TempDirectory();
        var (certificate, key, issued) = TestCertificates.Write(temp, "server");
        var tokens = AuthenticatedServer.TokensFile(temp, AuthenticatedServer.TokenA);
        await using var server = await ServerFixture.StartAsync(configure: o => o with
        {
            Tls = new TlsOptions(certificate, key),
            Auth = new AuthOptions(tokens, null, false),
        });
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => (seen = presented?.Thumbprint) == issued.Thumbprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = server.Http.BaseAddress };
        StringContent Body() => new(AuthenticatedServer.MlflowBody, Encoding.UTF8, "application/json");
        using var refused = await client.PostAsync("invocations", Body());
        using var request = new HttpRequestMessage(HttpMethod.Post, "invocations") { Content = Body() };
        request.Headers.Authorization = new("Bearer", AuthenticatedServer.TokenA);
        using var scored = await client.SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(server.Http.BaseAddress!.Scheme, Is.EqualTo("https"));
            Assert.That(seen, Is.EqualTo(issued.Thumbprint));
            Assert.That((int)refused.StatusCode, Is.EqualTo(401));
            Assert.That((int)scored.StatusCode, Is.EqualTo(200));
        });
    }

    [Test]
    public void A_certificate_with_another_certificates_key_is_refused_at_start_naming_both_files()
    {
        using var temp = new TempDirectory();
        var (certificate, _, _) = TestCertificates.Write(temp, "server");
        var (_, otherKey, _) = TestCertificates.Write(temp, "other");
        var ex = Assert.ThrowsAsync<InvalidDataException>(async () =>
            await (await ServerFixture.StartAsync(configure: o => o with { Tls = new TlsOptions(certificate, otherKey) })).DisposeAsync());
        Assert.That(ex!.Message, Does.Contain(certificate).And.Contain(otherKey));
    }
}
