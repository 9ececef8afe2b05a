using Layercake.Deployment.Images;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Images;

/// <summary>Host libraries reached under two names (a merged-/usr host's /lib link) go into the image once.</summary>
[Category(Categories.Unit)]
public sealed class OnePathPerFileTests
{
    private string _root = null!;

    [SetUp]
    public void CreateTree()
    {
        // root/usr/lib/{libcrypto.so.3, ld.so, libother.so}, root/lib -> usr/lib, root/lib64/ld.so -> ../usr/lib/ld.so
        _root = Directory.CreateTempSubdirectory("layercake-paths-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "usr", "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "lib64"));
        foreach (var name in new[] { "libcrypto.so.3", "ld.so", "libother.so" })
        {
            File.WriteAllText(Path.Combine(_root, "usr", "lib", name), name);
        }

        Directory.CreateSymbolicLink(Path.Combine(_root, "lib"), "usr/lib");
        File.CreateSymbolicLink(Path.Combine(_root, "lib64", "ld.so"), "../usr/lib/ld.so");
    }

    [TearDown]
    public void RemoveTree() => Directory.Delete(_root, recursive: true);

    [Test]
    public void A_library_reached_through_a_linked_folder_is_kept_once_under_its_shorter_name()
    {
        var kept = OnePathPerFile.Of([Under("usr/lib/libcrypto.so.3"), Under("lib/libcrypto.so.3"), Under("usr/lib/libother.so")]);
        Assert.That(kept, Is.EqualTo(new[] { Under("lib/libcrypto.so.3"), Under("usr/lib/libother.so") }));
    }

    [Test]
    public void The_loaders_own_linked_path_is_the_one_kept()
    {
        var kept = OnePathPerFile.Of([Under("usr/lib/ld.so"), Under("lib64/ld.so")]);
        Assert.That(kept, Is.EqualTo(new[] { Under("lib64/ld.so") }));
    }

    [Test]
    public void The_real_path_resolves_folder_and_file_links_alike()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OnePathPerFile.RealPath(Under("lib/libcrypto.so.3")), Is.EqualTo(Under("usr/lib/libcrypto.so.3")));
            Assert.That(OnePathPerFile.RealPath(Under("lib64/ld.so")), Is.EqualTo(Under("usr/lib/ld.so")));
            Assert.That(OnePathPerFile.RealPath(Under("usr/lib/libother.so")), Is.EqualTo(Under("usr/lib/libother.so")));
        });
    }

    private string Under(string relative) => OnePathPerFile.RealPath(_root) + "/" + relative;
}
