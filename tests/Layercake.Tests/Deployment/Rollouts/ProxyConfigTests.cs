using Layercake.Deployment.Proxy;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Rollouts;

[Category(Categories.Unit)]
public sealed class ProxyConfigTests
{
    [Test]
    public void Splits_by_percent_between_stable_and_canary_and_names_the_answering_version()
    {
        var config = ProxyConfig.Render(8082, 40001, 40002, new ProxyBackend("stable", 40003, "1.0.0"), new ProxyBackend("canary", 40004, "1.1.0"), 10, TimeSpan.FromSeconds(5));

        Assert.That(config, Does.Contain("stats socket ipv4@127.0.0.1:40002 level admin")
            .And.Contain("bind 0.0.0.0:8082").And.Contain("bind 127.0.0.1:40001")
            .And.Contain("server stable 127.0.0.1:40003 id 1 weight 90").And.Contain("server canary 127.0.0.1:40004 id 2 weight 10")
            .And.Contain("option redispatch").And.Contain("option idle-close-on-response")
            .And.Contain("http-response set-header X-Model-Version 1.0.0 if { srv_id 1 }")
            .And.Contain("http-response set-header X-Model-Version 1.1.0 if { srv_id 2 }")
            .And.Contain("hard-stop-after 5s"));
    }
}
