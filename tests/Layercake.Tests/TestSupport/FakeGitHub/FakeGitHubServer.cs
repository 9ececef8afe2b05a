using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Layercake.Shared.GitHub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Layercake.Tests.TestSupport.FakeGitHub;

/// <summary>
/// A GitHub REST API on a free loopback port, answering as GitHub Enterprise Server's <c>/api/v3/</c> does (where
/// Octokit sends requests for any host but github.com), for one repository. It keeps state across calls, reads
/// bodies whatever their content type (Octokit labels JSON as form data), checks the token, and can be told to
/// fail the next calls of a route. Route names: releases.list, releases.create, releases.get-by-tag,
/// releases.update, assets.list, assets.upload, assets.get, assets.delete, assets.download, deployments.list,
/// deployments.create, deployment-statuses.list, deployment-statuses.create, comments.list, comments.create,
/// comments.update, issues.list, issues.create, issues.update, workflows.dispatch.
/// </summary>
public sealed partial class FakeGitHubServer : IAsyncDisposable
{
    public const string DefaultToken = "ghs_FakeTokenThatMustNeverBeLogged0123456789";
    public const string DefaultOwner = "octo-org";
    public const string DefaultName = "models";

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<InjectedFailure>> _failures = new(StringComparer.Ordinal);
    private readonly List<FakeRequest> _requests = [];
    private readonly WebApplication _app;
    private long _nextId = 1000;
    private int _nextNumber = 1;

    private FakeGitHubServer(WebApplication app, string token, string owner, string name)
    {
        _app = app;
        Token = token;
        Owner = owner;
        Name = name;
        Now = Epoch;
    }

    public string Token { get; }
    public string Owner { get; }
    public string Name { get; }
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The server's clock: every change moves it on a minute, so records created in turn have distinct times.</summary>
    public DateTimeOffset Now { get; private set; }

    public List<FakeRelease> Releases { get; } = [];
    public List<FakeDeployment> Deployments { get; } = [];
    public List<FakeIssue> Issues { get; } = [];
    public List<FakeComment> Comments { get; } = [];
    public List<FakeDispatch> Dispatches { get; } = [];
    /// <summary>Refs a deployment may name besides release tags.</summary>
    public List<string> Branches { get; } = ["main"];

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public static async Task<FakeGitHubServer> StartAsync(string token = DefaultToken, string owner = DefaultOwner, string name = DefaultName)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new FakeGitHubServer(app, token, owner, name);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Options for this server; a different token or repository to test refusals.</summary>
    public GitHubOptions Options(string? token = null, string? repository = null)
    {
        var parts = (repository ?? $"{Owner}/{Name}").Split('/');
        return new GitHubOptions(token ?? Token, parts[0], parts[1], BaseUrl);
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> calls of <paramref name="route"/> answer <paramref name="status"/>.
    /// With <paramref name="afterHandling"/> the call takes effect first and only its answer is lost, as when a
    /// proxy times out after GitHub has acted.
    /// </summary>
    public void FailNext(string route, int count = 1, int status = 502, IReadOnlyDictionary<string, string>? headers = null, string? message = null, bool afterHandling = false)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(route, out var queue))
            {
                _failures[route] = queue = new Queue<InjectedFailure>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(new InjectedFailure(status, headers ?? new Dictionary<string, string>(), message ?? ReasonPhrase(status), afterHandling));
            }
        }
    }

    /// <summary>Opens a pull request (it shares issue numbers) for comment tests.</summary>
    public int OpenPullRequest(string title = "Change the pipeline")
    {
        lock (_gate)
        {
            var now = Tick();
            var pr = new FakeIssue { Id = _nextId++, Number = _nextNumber++, Title = title, Body = "", IsPullRequest = true, CreatedAt = now, UpdatedAt = now };
            Issues.Add(pr);
            return pr.Number;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var request = context.Request;
        FakeResponse response;
        string? route;
        lock (_gate)
        {
            (route, response) = Dispatch(request, body);
            _requests.Add(new FakeRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", route, request.ContentType,
                request.Headers.Accept.ToString(), Encoding.UTF8.GetString(body), response.Status));
        }

        context.Response.StatusCode = response.Status;
        foreach (var (header, value) in response.Headers)
        {
            context.Response.Headers[header] = value;
        }

        if (response.Bytes is { } bytes)
        {
            context.Response.ContentType = response.ContentType ?? "application/octet-stream";
            await context.Response.Body.WriteAsync(bytes);
        }
        else if (response.Json is { } json)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(json.ToJsonString());
        }
    }

    private (string? Route, FakeResponse Response) Dispatch(HttpRequest request, byte[] body)
    {
        var path = request.Path.Value ?? "";
        if (path.StartsWith("/_downloads/", StringComparison.Ordinal))
        {
            // Like GitHub's storage host: the redirect's signed URL is the credential, and a request that also
            // carries an Authorization header is refused, as S3 refuses two authentication mechanisms.
            return ("assets.download", Handle("assets.download", () => request.Headers.ContainsKey("Authorization")
                ? Error(400, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
                : Download(path)));
        }

        var match = RepositoryPath().Match(path);
        if (!match.Success)
        {
            return (null, Error(404, "Not Found"));
        }

        if (!Authorized(request.Headers.Authorization.ToString()))
        {
            return (null, Error(401, "Bad credentials"));
        }

        if (!string.Equals(match.Groups["owner"].Value, Owner, StringComparison.OrdinalIgnoreCase) || !string.Equals(match.Groups["name"].Value, Name, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Error(404, "Not Found"));
        }

        var rest = match.Groups["rest"].Value;
        var upload = match.Groups["api"].Value == "uploads";
        var method = request.Method;
        var query = request.Query;
        Match m;
        if (upload)
        {
            m = Regex.Match(rest, "^/releases/(\\d+)/assets$");
            return m.Success && method == "POST"
                ? ("assets.upload", Handle("assets.upload", () => UploadAsset(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), query["name"].ToString(), request.ContentType, body)))
                : (null, Error(404, "Not Found"));
        }

        switch (method, rest)
        {
            case ("GET", "/releases"):
                return ("releases.list", Handle("releases.list", () => Paged(Releases.OrderByDescending(r => r.CreatedAt).Select(ReleaseJson), request)));
            case ("POST", "/releases"):
                return ("releases.create", Handle("releases.create", () => CreateRelease(Json(body))));
            case ("GET", "/deployments"):
                return ("deployments.list", Handle("deployments.list", () => Paged(Deployments
                    .Where(d => !query.ContainsKey("environment") || d.Environment == query["environment"].ToString())
                    .Where(d => !query.ContainsKey("task") || d.Task == query["task"].ToString())
                    .Where(d => !query.ContainsKey("ref") || d.Ref == query["ref"].ToString())
                    .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Select(DeploymentJson), request)));
            case ("POST", "/deployments"):
                return ("deployments.create", Handle("deployments.create", () => CreateDeployment(Json(body), body)));
            case ("GET", "/issues"):
                var state = query.ContainsKey("state") ? query["state"].ToString() : "open";
                return ("issues.list", Handle("issues.list", () => Paged(Issues
                    .Where(i => state == "all" || i.State == state)
                    .OrderByDescending(i => i.CreatedAt).Select(IssueJson), request)));
            case ("POST", "/issues"):
                return ("issues.create", Handle("issues.create", () => CreateIssue(Json(body))));
        }

        if ((m = Regex.Match(rest, "^/releases/tags/(.+)$")).Success && method == "GET")
        {
            var tag = Uri.UnescapeDataString(m.Groups[1].Value);
            return ("releases.get-by-tag", Handle("releases.get-by-tag", () =>
                Releases.FirstOrDefault(r => r.TagName == tag && !r.Draft) is { } release ? Ok(ReleaseJson(release)) : Error(404, "Not Found")));
        }

        if ((m = Regex.Match(rest, "^/releases/assets/(\\d+)$")).Success)
        {
            var id = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return method switch
            {
                "GET" => ("assets.get", Handle("assets.get", () => GetAsset(id, request.Headers.Accept.ToString()))),
                "DELETE" => ("assets.delete", Handle("assets.delete", () => DeleteAsset(id))),
                _ => (null, Error(404, "Not Found")),
            };
        }

        if ((m = Regex.Match(rest, "^/releases/(\\d+)/assets$")).Success && method == "GET")
        {
            var id = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return ("assets.list", Handle("assets.list", () =>
                Releases.FirstOrDefault(r => r.Id == id) is { } release ? Paged(release.Assets.Select(AssetJson), request) : Error(404, "Not Found")));
        }

        if ((m = Regex.Match(rest, "^/releases/(\\d+)$")).Success && method == "PATCH")
        {
            var id = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return ("releases.update", Handle("releases.update", () => UpdateRelease(id, Json(body))));
        }

        if ((m = Regex.Match(rest, "^/deployments/(\\d+)/statuses$")).Success)
        {
            var id = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var deployment = Deployments.FirstOrDefault(d => d.Id == id);
            return method switch
            {
                "GET" => ("deployment-statuses.list", Handle("deployment-statuses.list", () => deployment is null
                    ? Error(404, "Not Found")
                    : Paged(Enumerable.Reverse(deployment.Statuses).Select(s => StatusJson(deployment, s)), request))),
                "POST" => ("deployment-statuses.create", Handle("deployment-statuses.create", () => deployment is null ? Error(404, "Not Found") : CreateStatus(deployment, Json(body)))),
                _ => (null, Error(404, "Not Found")),
            };
        }

        if ((m = Regex.Match(rest, "^/issues/(\\d+)/comments$")).Success)
        {
            var number = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return method switch
            {
                "GET" => ("comments.list", Handle("comments.list", () => Issues.Any(i => i.Number == number)
                    ? Paged(Comments.Where(c => c.IssueNumber == number).OrderBy(c => c.Id).Select(CommentJson), request)
                    : Error(404, "Not Found"))),
                "POST" => ("comments.create", Handle("comments.create", () => CreateComment(number, Json(body)))),
                _ => (null, Error(404, "Not Found")),
            };
        }

        if ((m = Regex.Match(rest, "^/issues/comments/(\\d+)$")).Success && method == "PATCH")
        {
            var id = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return ("comments.update", Handle("comments.update", () => UpdateComment(id, Json(body))));
        }

        if ((m = Regex.Match(rest, "^/issues/(\\d+)$")).Success && method == "PATCH")
        {
            var number = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return ("issues.update", Handle("issues.update", () => UpdateIssue(number, Json(body))));
        }

        if ((m = Regex.Match(rest, "^/actions/workflows/([^/]+)/dispatches$")).Success && method == "POST")
        {
            var workflow = Uri.UnescapeDataString(m.Groups[1].Value);
            return ("workflows.dispatch", Handle("workflows.dispatch", () => Dispatch(workflow, body)));
        }

        return (null, Error(404, "Not Found"));
    }

    private FakeResponse Handle(string route, Func<FakeResponse> handler)
    {
        if (_failures.TryGetValue(route, out var queue) && queue.TryDequeue(out var failure))
        {
            if (failure.AfterHandling)
            {
                handler();
            }

            return new FakeResponse(failure.Status, new JsonObject { ["message"] = failure.Message, ["documentation_url"] = "https://docs.github.com/rest" }, null, null, failure.Headers);
        }

        return handler();
    }

    private bool Authorized(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return false;
        }

        var scheme = authorization[..space];
        return (scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase))
            && authorization[(space + 1)..] == Token;
    }

    // ---- Releases and assets

    private FakeResponse CreateRelease(JsonObject request)
    {
        var tag = request["tag_name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(tag))
        {
            return Invalid("Release", "tag_name", "missing_field");
        }

        // As on GitHub, only a published release owns its tag; drafts do not block one another.
        if (Releases.Any(r => r.TagName == tag && !r.Draft))
        {
            return Invalid("Release", "tag_name", "already_exists");
        }

        var release = new FakeRelease
        {
            Id = _nextId++,
            TagName = tag,
            TargetCommitish = request["target_commitish"]?.GetValue<string>() ?? "main",
            Name = request["name"]?.GetValue<string>() ?? tag,
            Body = request["body"]?.GetValue<string>() ?? "",
            Draft = request["draft"]?.GetValue<bool>() ?? false,
            Prerelease = request["prerelease"]?.GetValue<bool>() ?? false,
            CreatedAt = Tick(),
        };
        Releases.Add(release);
        return new FakeResponse(201, ReleaseJson(release), null, null, new Dictionary<string, string> { ["Location"] = ApiUrl($"releases/{release.Id}") });
    }

    private FakeResponse UpdateRelease(long id, JsonObject request)
    {
        if (Releases.FirstOrDefault(r => r.Id == id) is not { } release)
        {
            return Error(404, "Not Found");
        }

        release.Name = request["name"]?.GetValue<string>() ?? release.Name;
        release.Body = request["body"]?.GetValue<string>() ?? release.Body;
        release.Draft = request["draft"]?.GetValue<bool>() ?? release.Draft;
        release.Prerelease = request["prerelease"]?.GetValue<bool>() ?? release.Prerelease;
        return Ok(ReleaseJson(release));
    }

    private FakeResponse UploadAsset(long releaseId, string name, string? contentType, byte[] content)
    {
        if (Releases.FirstOrDefault(r => r.Id == releaseId) is not { } release)
        {
            return Error(404, "Not Found");
        }

        if (string.IsNullOrEmpty(name))
        {
            return Invalid("ReleaseAsset", "name", "missing_field");
        }

        if (release.Assets.Any(a => a.Name == name))
        {
            return Invalid("ReleaseAsset", "name", "already_exists");
        }

        var asset = new FakeAsset { Id = _nextId++, ReleaseId = releaseId, Name = name, ContentType = contentType ?? "application/octet-stream", Content = content, State = "uploaded", CreatedAt = Tick() };
        release.Assets.Add(asset);
        return new FakeResponse(201, AssetJson(asset), null, null, new Dictionary<string, string>());
    }

    /// <summary>Leaves a broken asset behind, as an upload that broke off does on GitHub.</summary>
    public void AddBrokenAsset(string tag, string name)
    {
        lock (_gate)
        {
            var release = Releases.Single(r => r.TagName == tag);
            release.Assets.Add(new FakeAsset { Id = _nextId++, ReleaseId = release.Id, Name = name, ContentType = "application/octet-stream", Content = [1, 2, 3], State = "starter", CreatedAt = Tick() });
        }
    }

    private FakeResponse GetAsset(long id, string accept)
    {
        if (FindAsset(id) is not { } asset)
        {
            return Error(404, "Not Found");
        }

        // GitHub answers the asset's metadata, or with Accept: application/octet-stream, a redirect to its bytes.
        return accept.Contains("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            ? new FakeResponse(302, null, null, null, new Dictionary<string, string> { ["Location"] = new Uri(BaseUrl, $"_downloads/{asset.Id}/{Uri.EscapeDataString(asset.Name)}").ToString() })
            : Ok(AssetJson(asset));
    }

    private FakeResponse DeleteAsset(long id)
    {
        if (FindAsset(id) is not { } asset)
        {
            return Error(404, "Not Found");
        }

        Releases.Single(r => r.Id == asset.ReleaseId).Assets.Remove(asset);
        return new FakeResponse(204, null, null, null, new Dictionary<string, string>());
    }

    private FakeResponse Download(string path)
    {
        var m = Regex.Match(path, "^/_downloads/(\\d+)/");
        return m.Success && FindAsset(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) is { } asset
            ? new FakeResponse(200, null, asset.Content, asset.ContentType, new Dictionary<string, string>())
            : Error(404, "Not Found");
    }

    private FakeAsset? FindAsset(long id) => Releases.SelectMany(r => r.Assets).FirstOrDefault(a => a.Id == id);

    // ---- Deployments

    private FakeResponse CreateDeployment(JsonObject request, byte[] raw)
    {
        var gitRef = request["ref"]?.GetValue<string>();
        if (string.IsNullOrEmpty(gitRef) || (!Releases.Any(r => r.TagName == gitRef && !r.Draft) && !Branches.Contains(gitRef)))
        {
            return new FakeResponse(422, new JsonObject { ["message"] = $"No ref found for: {gitRef}" }, null, null, new Dictionary<string, string>());
        }

        var environment = request["environment"]?.GetValue<string>() ?? "production";
        var deployment = new FakeDeployment
        {
            Id = _nextId++,
            Ref = gitRef,
            Task = request["task"]?.GetValue<string>() ?? "deploy",
            Environment = environment,
            Description = request["description"]?.GetValue<string>() ?? "",
            Payload = request["payload"]?.DeepClone(),
            ProductionEnvironment = request["production_environment"]?.GetValue<bool>() ?? environment == "production",
            TransientEnvironment = request["transient_environment"]?.GetValue<bool>() ?? false,
            CreatedAt = Tick(),
            RequestBody = Encoding.UTF8.GetString(raw),
        };
        Deployments.Add(deployment);
        return new FakeResponse(201, DeploymentJson(deployment), null, null, new Dictionary<string, string>());
    }

    private FakeResponse CreateStatus(FakeDeployment deployment, JsonObject request)
    {
        var state = request["state"]?.GetValue<string>() ?? "";
        if (state is not ("error" or "failure" or "inactive" or "in_progress" or "queued" or "pending" or "success"))
        {
            return Invalid("DeploymentStatus", "state", "invalid");
        }

        var description = request["description"]?.GetValue<string>() ?? "";
        if (description.Length > 140)
        {
            return Invalid("DeploymentStatus", "description", "invalid");
        }

        var status = new FakeDeploymentStatus(_nextId++, state, description, request["environment"]?.GetValue<string>() ?? deployment.Environment, Tick());
        deployment.Statuses.Add(status);

        // As GitHub documents auto_inactive (default true): earlier successful deployments to the same environment,
        // whatever their task, unless transient or production, get an inactive status.
        if (state == "success" && (request["auto_inactive"]?.GetValue<bool>() ?? true))
        {
            foreach (var earlier in Deployments.Where(d => d.Id != deployment.Id && d.Environment == deployment.Environment
                         && !d.TransientEnvironment && !d.ProductionEnvironment && d.LatestState == "success"))
            {
                earlier.Statuses.Add(new FakeDeploymentStatus(_nextId++, "inactive", "", earlier.Environment, status.CreatedAt));
            }
        }

        return new FakeResponse(201, StatusJson(deployment, status), null, null, new Dictionary<string, string>());
    }

    // ---- Issues and comments

    private FakeResponse CreateIssue(JsonObject request)
    {
        var title = request["title"]?.GetValue<string>();
        if (string.IsNullOrEmpty(title))
        {
            return Invalid("Issue", "title", "missing_field");
        }

        var now = Tick();
        var issue = new FakeIssue { Id = _nextId++, Number = _nextNumber++, Title = title, Body = request["body"]?.GetValue<string>() ?? "", IsPullRequest = false, CreatedAt = now, UpdatedAt = now };
        issue.Labels.AddRange(request["labels"]?.AsArray().Select(l => l!.GetValue<string>()) ?? []);
        Issues.Add(issue);
        return new FakeResponse(201, IssueJson(issue), null, null, new Dictionary<string, string>());
    }

    private FakeResponse UpdateIssue(int number, JsonObject request)
    {
        if (Issues.FirstOrDefault(i => i.Number == number) is not { } issue)
        {
            return Error(404, "Not Found");
        }

        issue.Title = request["title"]?.GetValue<string>() ?? issue.Title;
        issue.Body = request["body"]?.GetValue<string>() ?? issue.Body;
        issue.State = request["state"]?.GetValue<string>() ?? issue.State;
        issue.UpdatedAt = Tick();
        return Ok(IssueJson(issue));
    }

    /// <summary>Closes an issue, as a person would once a breach is dealt with.</summary>
    public void CloseIssue(int number)
    {
        lock (_gate)
        {
            Issues.Single(i => i.Number == number).State = "closed";
        }
    }

    private FakeResponse CreateComment(int number, JsonObject request)
    {
        if (!Issues.Any(i => i.Number == number))
        {
            return Error(404, "Not Found");
        }

        var body = request["body"]?.GetValue<string>();
        if (string.IsNullOrEmpty(body))
        {
            return Invalid("IssueComment", "body", "missing_field");
        }

        var now = Tick();
        var comment = new FakeComment { Id = _nextId++, IssueNumber = number, Body = body, CreatedAt = now, UpdatedAt = now };
        Comments.Add(comment);
        return new FakeResponse(201, CommentJson(comment), null, null, new Dictionary<string, string>());
    }

    private FakeResponse UpdateComment(long id, JsonObject request)
    {
        if (Comments.FirstOrDefault(c => c.Id == id) is not { } comment)
        {
            return Error(404, "Not Found");
        }

        comment.Body = request["body"]?.GetValue<string>() ?? comment.Body;
        comment.UpdatedAt = Tick();
        return Ok(CommentJson(comment));
    }

    private FakeResponse Dispatch(string workflow, byte[] body)
    {
        var request = Json(body);
        if (string.IsNullOrEmpty(request["ref"]?.GetValue<string>()))
        {
            return Invalid("Workflow", "ref", "missing_field");
        }

        Dispatches.Add(new FakeDispatch(workflow, Encoding.UTF8.GetString(body)));
        return new FakeResponse(204, null, null, null, new Dictionary<string, string>());
    }

    // ---- JSON as GitHub writes it

    private JsonObject ReleaseJson(FakeRelease release) => new()
    {
        ["url"] = ApiUrl($"releases/{release.Id}"),
        ["html_url"] = new Uri(BaseUrl, $"{Owner}/{Name}/releases/tag/{release.TagName}").ToString(),
        ["assets_url"] = ApiUrl($"releases/{release.Id}/assets"),
        ["upload_url"] = new Uri(BaseUrl, $"api/uploads/repos/{Owner}/{Name}/releases/{release.Id}/assets").ToString() + "{?name,label}",
        ["tarball_url"] = ApiUrl($"tarball/{release.TagName}"),
        ["zipball_url"] = ApiUrl($"zipball/{release.TagName}"),
        ["id"] = release.Id,
        ["node_id"] = $"RE_{release.Id}",
        ["tag_name"] = release.TagName,
        ["target_commitish"] = release.TargetCommitish,
        ["name"] = release.Name,
        ["body"] = release.Body,
        ["draft"] = release.Draft,
        ["prerelease"] = release.Prerelease,
        ["created_at"] = Time(release.CreatedAt),
        ["published_at"] = release.Draft ? null : Time(release.CreatedAt),
        ["author"] = User(),
        ["assets"] = new JsonArray(release.Assets.Select(a => (JsonNode)AssetJson(a)).ToArray()),
    };

    private JsonObject AssetJson(FakeAsset asset) => new()
    {
        ["url"] = ApiUrl($"releases/assets/{asset.Id}"),
        ["browser_download_url"] = new Uri(BaseUrl, $"{Owner}/{Name}/releases/download/{asset.Id}/{asset.Name}").ToString(),
        ["id"] = asset.Id,
        ["node_id"] = $"RA_{asset.Id}",
        ["name"] = asset.Name,
        ["label"] = "",
        ["state"] = asset.State,
        ["content_type"] = asset.ContentType,
        ["size"] = asset.Content.Length,
        ["download_count"] = 0,
        ["created_at"] = Time(asset.CreatedAt),
        ["updated_at"] = Time(asset.CreatedAt),
        ["uploader"] = User(),
    };

    private JsonObject DeploymentJson(FakeDeployment deployment) => new()
    {
        ["url"] = ApiUrl($"deployments/{deployment.Id}"),
        ["id"] = deployment.Id,
        ["node_id"] = $"DE_{deployment.Id}",
        ["sha"] = "0123456789abcdef0123456789abcdef01234567",
        ["ref"] = deployment.Ref,
        ["task"] = deployment.Task,
        ["payload"] = deployment.Payload?.DeepClone() ?? new JsonObject(),
        ["original_environment"] = deployment.Environment,
        ["environment"] = deployment.Environment,
        ["description"] = deployment.Description,
        ["creator"] = User(),
        ["created_at"] = Time(deployment.CreatedAt),
        ["updated_at"] = Time(deployment.CreatedAt),
        ["statuses_url"] = ApiUrl($"deployments/{deployment.Id}/statuses"),
        ["repository_url"] = ApiUrl(""),
        ["transient_environment"] = deployment.TransientEnvironment,
        ["production_environment"] = deployment.ProductionEnvironment,
    };

    private JsonObject StatusJson(FakeDeployment deployment, FakeDeploymentStatus status) => new()
    {
        ["url"] = ApiUrl($"deployments/{deployment.Id}/statuses/{status.Id}"),
        ["id"] = status.Id,
        ["node_id"] = $"DES_{status.Id}",
        ["state"] = status.State,
        ["creator"] = User(),
        ["description"] = status.Description,
        ["environment"] = status.Environment,
        ["target_url"] = "",
        ["log_url"] = "",
        ["environment_url"] = "",
        ["created_at"] = Time(status.CreatedAt),
        ["updated_at"] = Time(status.CreatedAt),
        ["deployment_url"] = ApiUrl($"deployments/{deployment.Id}"),
        ["repository_url"] = ApiUrl(""),
    };

    private JsonObject IssueJson(FakeIssue issue)
    {
        var json = new JsonObject
        {
            ["id"] = issue.Id,
            ["node_id"] = $"I_{issue.Id}",
            ["url"] = ApiUrl($"issues/{issue.Number}"),
            ["repository_url"] = ApiUrl(""),
            ["html_url"] = new Uri(BaseUrl, $"{Owner}/{Name}/{(issue.IsPullRequest ? "pull" : "issues")}/{issue.Number}").ToString(),
            ["number"] = issue.Number,
            ["state"] = issue.State,
            ["title"] = issue.Title,
            ["body"] = issue.Body,
            ["user"] = User(),
            ["labels"] = new JsonArray(issue.Labels.Select((l, i) => (JsonNode)new JsonObject { ["id"] = i + 1, ["name"] = l, ["color"] = "d73a4a", ["default"] = false }).ToArray()),
            ["assignees"] = new JsonArray(),
            ["locked"] = false,
            ["comments"] = Comments.Count(c => c.IssueNumber == issue.Number),
            ["created_at"] = Time(issue.CreatedAt),
            ["updated_at"] = Time(issue.UpdatedAt),
            ["closed_at"] = null,
            ["author_association"] = "OWNER",
        };
        if (issue.IsPullRequest)
        {
            json["pull_request"] = new JsonObject { ["url"] = ApiUrl($"pulls/{issue.Number}"), ["html_url"] = json["html_url"]!.GetValue<string>() };
        }

        return json;
    }

    private JsonObject CommentJson(FakeComment comment) => new()
    {
        ["id"] = comment.Id,
        ["node_id"] = $"IC_{comment.Id}",
        ["url"] = ApiUrl($"issues/comments/{comment.Id}"),
        ["html_url"] = new Uri(BaseUrl, $"{Owner}/{Name}/pull/{comment.IssueNumber}#issuecomment-{comment.Id}").ToString(),
        ["issue_url"] = ApiUrl($"issues/{comment.IssueNumber}"),
        ["body"] = comment.Body,
        ["user"] = User(),
        ["created_at"] = Time(comment.CreatedAt),
        ["updated_at"] = Time(comment.UpdatedAt),
        ["author_association"] = "OWNER",
    };

    private JsonObject User() => new()
    {
        ["login"] = "github-actions[bot]",
        ["id"] = 41898282,
        ["node_id"] = "MDM6Qm90NDE4OTgyODI=",
        ["type"] = "Bot",
        ["site_admin"] = false,
        ["url"] = new Uri(BaseUrl, "api/v3/users/github-actions%5Bbot%5D").ToString(),
        ["html_url"] = new Uri(BaseUrl, "apps/github-actions").ToString(),
    };

    // ---- Helpers

    private FakeResponse Paged(IEnumerable<JsonObject> items, HttpRequest request)
    {
        var all = items.ToList();
        var perPage = int.TryParse(request.Query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, 100) : 30;
        var page = int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Max(n, 1) : 1;
        var headers = new Dictionary<string, string>();
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
        if (page < last)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.QueryString.Value ?? "");
            query["per_page"] = perPage.ToString(CultureInfo.InvariantCulture);
            string Link(int target)
            {
                query["page"] = target.ToString(CultureInfo.InvariantCulture);
                return new Uri(BaseUrl, (request.Path.Value ?? "").TrimStart('/') + "?" + query).ToString();
            }

            headers["Link"] = $"<{Link(page + 1)}>; rel=\"next\", <{Link(last)}>; rel=\"last\"";
        }

        return new FakeResponse(200, new JsonArray(all.Skip((page - 1) * perPage).Take(perPage).Select(i => (JsonNode)i).ToArray()), null, null, headers);
    }

    private string ApiUrl(string path) => new Uri(BaseUrl, $"api/v3/repos/{Owner}/{Name}/{path}").ToString().TrimEnd('/');

    private static JsonObject Json(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private DateTimeOffset Tick() => Now = Now.AddMinutes(1);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static FakeResponse Ok(JsonNode json) => new(200, json, null, null, new Dictionary<string, string>());

    private static FakeResponse Error(int status, string message) =>
        new(status, new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" }, null, null, new Dictionary<string, string>());

    private static FakeResponse Invalid(string resource, string field, string code) => new(422, new JsonObject
    {
        ["message"] = "Validation Failed",
        ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = code, ["field"] = field }),
        ["documentation_url"] = "https://docs.github.com/rest",
    }, null, null, new Dictionary<string, string>());

    private static string ReasonPhrase(int status) => status switch
    {
        502 => "Server Error",
        503 => "Service Unavailable",
        429 => "Too Many Requests",
        403 => "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        _ => "Error",
    };

    [GeneratedRegex("^/api/(?<api>v3|uploads)/repos/(?<owner>[^/]+)/(?<name>[^/]+)(?<rest>/.*)?$")]
    private static partial Regex RepositoryPath();

    private sealed record InjectedFailure(int Status, IReadOnlyDictionary<string, string> Headers, string Message, bool AfterHandling);

    private sealed record FakeResponse(int Status, JsonNode? Json, byte[]? Bytes, string? ContentType, IReadOnlyDictionary<string, string> Headers);
}
