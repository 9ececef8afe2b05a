using System.Security.Cryptography;
using Layercake.Registry;
using Layercake.Shared.GitHub;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Management.Releases;

[Category(Categories.Unit)]
public sealed class GitHubModelRegistryTests
{
    private static readonly string[] PackageFiles = ["MODEL_CARD.md", "manifest.json", "model.onnx", "model.zip", "profile.json", "samples.json"];

    [Test]
    public async Task Publishing_creates_a_release_with_the_model_card_and_the_package_as_assets()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));

        var published = await bed.Registry().PublishAsync(version, CancellationToken.None);

        var release = bed.Server.Releases.Single();
        Assert.That(published.Tag, Is.EqualTo("penguins/v1.4.0"));
        Assert.That(published.Url, Does.EndWith("/octo-org/models/releases/tag/penguins/v1.4.0"));
        Assert.That(release.TagName, Is.EqualTo("penguins/v1.4.0"));
        Assert.That(release.Name, Is.EqualTo("penguins 1.4.0"));
        Assert.That(release.TargetCommitish, Is.EqualTo(FakePackages.Commit));
        Assert.That(release.Body, Does.Contain("| **macro_accuracy** (primary) | 0.9712 ± 0.0123 | 0.9600, 0.9700, 0.9850 |"));
        Assert.That(release.Body, Does.Contain("| accuracy | macro_accuracy | >= 0.9000 | 0.9712 | passed |"));
        Assert.That(release.Body, Does.Contain($"commit `{FakePackages.Commit}`").And.Contain("Seed: 42").And.Contain("ml.net 5.0.1").And.Contain(new string('d', 64)));
        var manifestSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(version.Directory, "manifest.json"))));
        Assert.That(release.Body, Does.Contain($"<!-- layercake:manifest-sha256:{manifestSha} -->"));
        Assert.That(release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal), Is.EqualTo(PackageFiles));
        foreach (var asset in release.Assets)
        {
            Assert.That(asset.Content, Is.EqualTo(File.ReadAllBytes(Path.Combine(version.Directory, asset.Name))), asset.Name);
        }

        Assert.That(release.Assets[^1].Name, Is.EqualTo("manifest.json"), "the manifest is uploaded last");
        Assert.That(bed.Server.Requests.Where(r => r.Route == "assets.upload").Select(r => r.Path).Distinct().Single(),
            Is.EqualTo($"/api/uploads/repos/octo-org/models/releases/{release.Id}/assets"), "uploads go to the upload_url the server returned");
    }

    [Test]
    public async Task Publishing_the_same_version_again_changes_nothing()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        await bed.Registry().PublishAsync(version, CancellationToken.None);
        var writesBefore = bed.Server.Requests.Count(r => r.Method != "GET");

        var again = await bed.Registry().PublishAsync(version, CancellationToken.None);

        Assert.That(again.Tag, Is.EqualTo("penguins/v1.4.0"));
        Assert.That(bed.Server.Releases, Has.Count.EqualTo(1));
        Assert.That(bed.Server.Releases[0].Assets, Has.Count.EqualTo(6));
        Assert.That(bed.Server.Requests.Count(r => r.Method != "GET"), Is.EqualTo(writesBefore), "no create, upload or edit the second time");
        Assert.That(bed.Log.Lines, Has.Some.Contains("already published"));
    }

    [Test]
    public async Task Publishing_again_completes_a_release_whose_uploads_broke_off()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        await bed.Registry().PublishAsync(version, CancellationToken.None);
        var release = bed.Server.Releases.Single();
        release.Assets.RemoveAll(a => a.Name is "manifest.json" or "model.zip");
        bed.Server.AddBrokenAsset("penguins/v1.4.0", "model.zip");

        await bed.Registry().PublishAsync(version, CancellationToken.None);

        Assert.That(release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal), Is.EqualTo(PackageFiles));
        Assert.That(release.Assets.All(a => a.State == "uploaded"));
        Assert.That(release.Assets.Single(a => a.Name == "model.zip").Content, Is.EqualTo(File.ReadAllBytes(Path.Combine(version.Directory, "model.zip"))));
    }

    [Test]
    public async Task A_different_model_under_a_released_version_is_refused()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        await bed.Registry().PublishAsync(await FakePackages.WriteAsync(bed.Directory.File("first")), CancellationToken.None);
        var other = await FakePackages.WriteAsync(bed.Directory.File("second"), seed: "b");

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => bed.Registry().PublishAsync(other, CancellationToken.None))!;

        Assert.That(error.Message, Is.EqualTo("penguins 1.4.0 is already released in octo-org/models (penguins/v1.4.0) with a different manifest; versions are immutable, so release it under another version."));
        Assert.That(bed.Server.Releases.Single().Assets.Single(a => a.Name == "model.onnx").Content,
            Is.EqualTo(File.ReadAllBytes(Path.Combine(bed.Directory.File("first"), "penguins", "1.4.0", "model.onnx"))), "the release is untouched");
    }

    [Test]
    public async Task A_damaged_local_package_is_not_published()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        await File.WriteAllTextAsync(Path.Combine(version.Directory, "model.onnx"), "changed after packaging");

        var error = Assert.ThrowsAsync<InvalidDataException>(() => bed.Registry().PublishAsync(version, CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("model.onnx: sha256").And.Contain("differs from the manifest's"));
        Assert.That(bed.Server.Releases, Is.Empty);
    }

    [Test]
    public async Task Answers_lost_after_GitHub_acted_are_retried_without_duplicates()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", afterHandling: true);
        bed.Server.FailNext("assets.upload", count: 2, afterHandling: true);
        bed.Server.FailNext("assets.list", status: 503);

        await bed.Registry().PublishAsync(version, CancellationToken.None);

        var release = bed.Server.Releases.Single();
        Assert.That(release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal), Is.EqualTo(PackageFiles), "each asset once");
        Assert.That(bed.Server.Requests.Count(r => r.Route == "releases.create"), Is.EqualTo(1), "the retry found the release instead of creating it again");
        Assert.That(bed.Time.Delays, Is.EqualTo(Enumerable.Repeat(TimeSpan.FromSeconds(2), 4)), "each failed call waits the first backoff once");
        Assert.That(bed.Log.Lines.Count(l => l.Contains("retrying in")), Is.EqualTo(4));
        Assert.That(bed.Log.Lines, Has.Some.Contains("GitHub could not create release penguins/v1.4.0 in octo-org/models (502 Server Error); retrying in 2 s (attempt 2 of 5)"));
    }

    [Test]
    public async Task Rate_limits_are_waited_out_as_GitHub_asks()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", status: 403, headers: new Dictionary<string, string> { ["Retry-After"] = "7" });
        bed.Server.FailNext("assets.upload", status: 429, headers: new Dictionary<string, string> { ["Retry-After"] = "3" });
        var reset = bed.Time.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds();
        bed.Server.FailNext("releases.get-by-tag", status: 403, message: "API rate limit exceeded for installation.",
            headers: new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        await bed.Registry().PublishAsync(version, CancellationToken.None);

        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(3) }));
        Assert.That(bed.Server.Releases, Has.Count.EqualTo(1));
        Assert.That(bed.Server.Releases[0].Assets, Has.Count.EqualTo(6));
    }

    [Test]
    public async Task A_rate_limit_longer_than_the_build_waits_fails_with_a_clear_message()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.get-by-tag", status: 429, headers: new Dictionary<string, string> { ["Retry-After"] = "3600" });

        var error = Assert.ThrowsAsync<GitHubException>(() => bed.Registry().PublishAsync(version, CancellationToken.None))!;

        Assert.That(error.Message, Is.EqualTo("GitHub's rate limit stops read release penguins/v1.4.0 in octo-org/models for 3600 s, longer than the 120 s this build waits; run it again later."));
        Assert.That(bed.Time.Delays, Is.Empty);
    }

    [Test]
    public async Task Persistent_server_errors_give_up_after_the_last_attempt()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", count: 5);

        var error = Assert.ThrowsAsync<GitHubException>(() => bed.Registry().PublishAsync(version, CancellationToken.None))!;

        Assert.That(error.Message, Is.EqualTo("GitHub failed to create release penguins/v1.4.0 in octo-org/models after 5 attempts: 502 Server Error."));
        Assert.That(error.StatusCode, Is.EqualTo(502));
        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { 2, 4, 8, 16 }.Select(s => TimeSpan.FromSeconds(s))));
    }

    [Test]
    public async Task A_rejected_token_is_reported_with_the_repository()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        var (client, options) = bed.With(token: "ghs_wrong");

        var error = Assert.ThrowsAsync<GitHubException>(() => bed.Registry(options, client).PublishAsync(version, CancellationToken.None))!;

        Assert.That(error.StatusCode, Is.EqualTo(401));
        Assert.That(error.Message, Is.EqualTo("GitHub rejected the token for octo-org/models (401 Bad credentials) while trying to read release penguins/v1.4.0: GITHUB_TOKEN is wrong, expired or revoked."));
        Assert.That(bed.Time.Delays, Is.Empty, "a 401 is not retried");
    }

    [Test]
    public async Task An_unknown_repository_is_reported_as_not_found_or_not_visible()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        var (client, options) = bed.With(repository: "octo-org/no-such-repo");

        var error = Assert.ThrowsAsync<GitHubException>(() => bed.Registry(options, client).PublishAsync(version, CancellationToken.None))!;

        Assert.That(error.StatusCode, Is.EqualTo(404));
        Assert.That(error.Message, Does.StartWith("GitHub repository octo-org/no-such-repo was not found, or the token cannot see it (404 while trying to look for a draft release penguins/v1.4.0)."));
    }

    [Test]
    public async Task A_forbidden_release_names_the_permission_it_needs()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        bed.Server.FailNext("releases.create", status: 403, message: "Resource not accessible by integration");

        var error = Assert.ThrowsAsync<GitHubException>(() => bed.Registry().PublishAsync(version, CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith("GitHub refused to create release penguins/v1.4.0 in octo-org/models (403 Resource not accessible by integration): the token lacks the 'contents: write' permission on octo-org/models."));
        Assert.That(bed.Time.Delays, Is.Empty, "a 403 that is not a rate limit is not retried");
    }

    [Test]
    public async Task Fetching_downloads_the_package_verifies_it_and_reuses_the_cache()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        await bed.Registry().PublishAsync(version, CancellationToken.None);

        var fetched = await bed.Registry().FetchAsync("penguins", version.Version, CancellationToken.None);
        var downloads = bed.Server.Requests.Count(r => r.Route == "assets.download");
        var again = await bed.Registry().FetchAsync("penguins", version.Version, CancellationToken.None);

        Assert.That(fetched.Directory, Is.EqualTo(Path.Combine(bed.Directory.File("cache"), "penguins", "1.4.0")));
        Assert.That(Directory.GetFiles(fetched.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(PackageFiles));
        foreach (var name in PackageFiles)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(fetched.Directory, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(version.Directory, name))), name);
        }

        Assert.That(fetched.Manifest.Files, Is.EqualTo(version.Manifest.Files));
        Assert.That(downloads, Is.EqualTo(6));
        Assert.That(bed.Server.Requests.Where(r => r.Route == "assets.get").Select(r => r.Accept).Distinct(), Is.EqualTo(new[] { "application/octet-stream" }));
        Assert.That(again.Existing, "the second fetch is served from the cache");
        Assert.That(bed.Server.Requests.Count(r => r.Route == "assets.download"), Is.EqualTo(downloads));
    }

    [Test]
    public async Task A_fetched_asset_that_does_not_match_the_manifest_is_rejected_and_nothing_is_kept()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var version = await FakePackages.WriteAsync(bed.Directory.File("local"));
        await bed.Registry().PublishAsync(version, CancellationToken.None);
        var release = bed.Server.Releases.Single();
        var onnx = release.Assets.Single(a => a.Name == "model.onnx");
        release.Assets[release.Assets.IndexOf(onnx)] = new FakeAsset
        {
            Id = onnx.Id, ReleaseId = onnx.ReleaseId, Name = onnx.Name, ContentType = onnx.ContentType, Content = [.. onnx.Content.Reverse()], State = "uploaded", CreatedAt = onnx.CreatedAt,
        };

        var error = Assert.ThrowsAsync<InvalidDataException>(() => bed.Registry().FetchAsync("penguins", version.Version, CancellationToken.None))!;

        Assert.That(error.Message, Does.StartWith("penguins/v1.4.0 from octo-org/models: model.onnx has sha256").And.EndWith("; nothing was kept."));
        Assert.That(Directory.Exists(Path.Combine(bed.Directory.File("cache"), "penguins", "1.4.0")), Is.False);
        Assert.That(Directory.GetDirectories(Path.Combine(bed.Directory.File("cache"), "penguins")), Is.Empty, "no staging folder is left");
    }

    [Test]
    public async Task Fetching_a_version_that_was_never_released_says_so()
    {
        await using var bed = await GitHubTestBed.StartAsync();

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => bed.Registry().FetchAsync("penguins", new SemanticVersion(9, 0, 0), CancellationToken.None))!;

        Assert.That(error.Message, Is.EqualTo("penguins 9.0.0 is not released in octo-org/models: there is no release with tag penguins/v9.0.0."));
    }

    [Test]
    public async Task Listing_returns_the_model_s_versions_oldest_first_with_their_manifests()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var registry = bed.Registry();
        await registry.PublishAsync(await FakePackages.WriteAsync(bed.Directory.File("a"), version: "1.10.0", seed: "x"), CancellationToken.None);
        await registry.PublishAsync(await FakePackages.WriteAsync(bed.Directory.File("b"), version: "1.2.0", seed: "y"), CancellationToken.None);
        await registry.PublishAsync(await FakePackages.WriteAsync(bed.Directory.File("c"), model: "cars", version: "1.0.0"), CancellationToken.None);

        var versions = await registry.ListAsync("penguins", CancellationToken.None);

        Assert.That(versions.Select(v => v.Tag), Is.EqualTo(new[] { "penguins/v1.2.0", "penguins/v1.10.0" }));
        Assert.That(versions.Select(v => v.Manifest.Version), Is.EqualTo(new[] { "1.2.0", "1.10.0" }));
        Assert.That(registry.Description, Is.EqualTo("GitHub octo-org/models"));
    }

    [Test]
    public async Task A_trained_package_round_trips_through_a_release()
    {
        await using var bed = await GitHubTestBed.StartAsync();
        var package = await TestPackages.PenguinsAsync();

        var published = await bed.Registry().PublishAsync(package, CancellationToken.None);
        var fetched = await bed.Registry().FetchAsync(package.Pipeline, package.Version, CancellationToken.None);
        var listed = await bed.Registry().ListAsync(package.Pipeline, CancellationToken.None);

        var release = bed.Server.Releases.Single();
        Assert.That(release.Body, Does.Contain($"**{package.Manifest.PrimaryMetric}** (primary)").And.Contain(package.Manifest.Lineage.DataSha256));
        Assert.That(release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal), Is.EqualTo(package.Manifest.Files.Keys.Append("manifest.json").Order(StringComparer.Ordinal)));
        Assert.That(fetched.Manifest.Files, Is.EqualTo(package.Manifest.Files));
        Assert.That(listed.Single().Manifest.Lineage, Is.EqualTo(package.Manifest.Lineage));
        Assert.That(published.Tag, Is.EqualTo($"{package.Pipeline}/v{package.Version}"));
    }
}
