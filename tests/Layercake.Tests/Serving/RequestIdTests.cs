using Layercake.Serving.Hosting;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>The ids the server gives requests that bring none: UUIDv7, unique, in time order.</summary>
[Category(Categories.Unit)]
public sealed class RequestIdTests
{
    [Test]
    public void A_new_id_is_a_version_7_uuid_of_its_time()
    {
        var now = new DateTimeOffset(2026, 11, 26, 22, 0, 0, 123, TimeSpan.Zero);

        var id = RequestIds.NewId(now);
        var guid = Guid.ParseExact(id, "N");

        Assert.That(id, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(guid.Version, Is.EqualTo(7));
        Assert.That(guid.Variant, Is.InRange(8, 11), "RFC 9562 variant (10xx)");
        Assert.That(Convert.ToInt64(id[..12], 16), Is.EqualTo(now.ToUnixTimeMilliseconds()));
    }

    [Test]
    public void Ids_are_unique_and_sort_by_time()
    {
        var start = new DateTimeOffset(2026, 11, 26, 22, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 100_000).Select(i => RequestIds.NewId(start.AddMilliseconds(i / 10))).ToArray();

        Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Length));
        var earlier = RequestIds.NewId(start);
        var later = RequestIds.NewId(start.AddMilliseconds(1));
        Assert.That(string.CompareOrdinal(earlier, later), Is.LessThan(0));
    }

    [Test]
    public void A_usable_client_id_is_kept_and_an_unusable_one_replaced()
    {
        Assert.That(RequestIds.For("trace-42/a.b"), Is.EqualTo("trace-42/a.b"));
        Assert.That(RequestIds.For("has space"), Does.Match("^[0-9a-f]{32}$"));
        Assert.That(RequestIds.For(new string('x', RequestIds.MaxLength + 1)), Does.Match("^[0-9a-f]{32}$"));
    }
}
