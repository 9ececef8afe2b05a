using System.Diagnostics;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Management;

/// <summary>
/// Reproduce on a real git repository (a copy of this one, committed): a version packaged from a clean commit
/// rebuilds to the same files, a version packaged from a planted uncommitted change does not and is named, and
/// changed data is refused before anything runs. The child build compiles the commit's own build host, so this is slow.
/// The image id is not compared here (no image is built); the two-clone check in docs/decisions/0037-trust-under-failure.md covers it.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ReproduceTests
{
    private TempDirectory _repository = null!;

    [OneTimeSetUp]
    public async Task PackageACleanCommit()
    {
        _repository = RepositoryCopy.Create();
        Git("init -q");
        Git("add -A");
        Git("-c user.name=test -c user.email=test@example.com commit -q -m version");

        // Through the copy's own build.sh, as a user would: the build host is compiled from this commit, so the
        // manifest's build id (which carries the commit) is the one the rebuild at this commit will have.
        var package = await BuildShAsync("--target=Package", "--verbosity=minimal");
        Assert.That(package.ExitCode, Is.Zero, package.All);
    }

    [OneTimeTearDown]
    public void Remove() => _repository.Dispose();

    [Test, Order(1)]
    public async Task A_version_from_a_clean_commit_rebuilds_to_the_same_model_zip_onnx_metrics_and_manifest()
    {
        var result = await BuildRunner.RunAsync(_repository.Path, "--target=Reproduce", "--model=penguins", "--model-version=1.0.0");

        Assert.That(result.ExitCode, Is.Zero, result.All);
        Assert.Multiple(() =>
        {
            foreach (var item in new[] { "pipeline file", "model.onnx", "model.optimized.onnx", "model.zip", "CV metrics", "manifest.json" })
            {
                Assert.That(result.Output, Does.Match($@"\| {item} +\|[^\n]*\| match +\|"), item);
            }

            Assert.That(result.Output, Does.Match(@"\| image id +\|[^\n]*\| not compared +\|"), "no image of this package was built");
            Assert.That(Directory.GetDirectories(Path.GetTempPath(), "layercake-reproduce-*").Where(d => Git("worktree list").Contains(d, StringComparison.Ordinal)), Is.Empty, "the work tree is removed");
        });
    }

    [Test, Order(2)]
    public async Task A_version_packaged_from_a_planted_uncommitted_change_is_named_with_every_difference()
    {
        var pipeline = _repository.File("pipelines/penguins.yaml");
        var original = await File.ReadAllTextAsync(pipeline);
        await File.WriteAllTextAsync(pipeline, original.Replace("l2_regularization: 0.001", "l2_regularization: 0.05", StringComparison.Ordinal));
        var planted = await BuildShAsync("--target=Package", "--verbosity=minimal");
        await File.WriteAllTextAsync(pipeline, original);
        Assert.That(planted.ExitCode, Is.Zero, planted.All);

        var result = await BuildRunner.RunAsync(_repository.Path, "--target=Reproduce", "--model=penguins", "--model-version=1.1.0");

        Assert.Multiple(() =>
        {
            // A dirty tree cannot rebuild byte for byte, and says so; the planted change moves the CV metrics, which it is held to.
            Assert.That(result.ExitCode, Is.EqualTo(4), result.All);
            Assert.That(result.Output, Does.Match(@"\| model\.onnx +\|[^\n]*\| differs \(uncommitted changes\) +\|"));
            Assert.That(result.Output, Does.Match(@"\| pipeline file +\|[^\n]*\| differs \(uncommitted changes\) +\|"));
            Assert.That(result.Output, Does.Match(@"\| CV metrics +\|[^\n]*\| DIFFERENT +\|"));
            Assert.That(result.All, Does.Contain("git_dirty: true), so it cannot be rebuilt byte for byte").And.Contain("They differ: registered"));
        });
    }

    [Test, Order(3)]
    public async Task Changed_or_missing_data_is_refused_before_anything_is_rebuilt()
    {
        var data = _repository.File("data/penguins.csv");
        var original = await File.ReadAllBytesAsync(data);
        try
        {
            await File.AppendAllTextAsync(data, "Adelie,Torgersen,39.1,18.7,181,3750,MALE\n");
            var changed = await BuildRunner.RunAsync(_repository.Path, "--target=Reproduce", "--model=penguins", "--model-version=1.0.0");
            File.Delete(data);
            var missing = await BuildRunner.RunAsync(_repository.Path, "--target=Reproduce", "--model=penguins", "--model-version=1.0.0");

            Assert.Multiple(() =>
            {
                Assert.That(changed.ExitCode, Is.EqualTo(1), changed.All);
                Assert.That(changed.Error, Does.Contain("data/penguins.csv has changed since penguins 1.0.0 was trained on it"));
                Assert.That(missing.ExitCode, Is.EqualTo(1), missing.All);
                Assert.That(missing.Error, Does.Contain("which is missing"));
                Assert.That(changed.All + missing.All, Does.Not.Contain("Rebuilding"));
            });
        }
        finally
        {
            await File.WriteAllBytesAsync(data, original);
        }
    }

    private Task<BuildRunner.Result> BuildShAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = _repository.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("build.sh");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return BuildRunner.RunProcessAsync(start, "build.sh", TimeSpan.FromMinutes(10));
    }

    private string Git(string arguments)
    {
        var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = _repository.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, process.StandardError.ReadToEnd());
        return output;
    }
}
