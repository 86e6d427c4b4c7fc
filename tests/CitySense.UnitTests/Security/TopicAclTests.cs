using CitySense.Ingest.Security;

namespace CitySense.UnitTests.Security;

public sealed class TopicAclTests
{
    private static readonly SecretHash Hash = SecretHash.Create("x", SecretHash.MinIterations);
    private static readonly DeviceCredential Meter = new("w1", CredentialRole.Device, "city/d1/c1/water/w1", Hash);
    private static readonly DeviceCredential Gateway = new("gw1", CredentialRole.Device, "city/d1/c1/gateway/gw1", Hash);
    private static readonly DeviceCredential Simulator = new("sim", CredentialRole.Service, "city/#", Hash);

    [Theory]
    [InlineData("city/d1/c1/water/w1", true)]
    [InlineData("city/d1/c1/water/w2", false)]
    [InlineData("city/d2/c1/water/w1", false)]
    [InlineData("city/d1/c1/gateway/w1", false)]
    [InlineData("city/d1/c1/heat/w1", false)]
    [InlineData("city/d1/c1/water/w1/x", false)]
    [InlineData("other/topic", false)]
    public void A_device_publishes_only_to_its_own_topic(string topic, bool allowed)
    {
        Assert.Equal(allowed, TopicAcl.MayPublish(Meter, topic));
    }

    [Theory]
    [InlineData("city/d1/c1/gateway/gw1", true)]
    [InlineData("city/d1/c2/gateway/gw1", false)]
    [InlineData("city/d1/c1/water/gw1", false)]
    [InlineData("city/d1/c1/gateway/gw2", false)]
    public void A_gateway_publishes_only_to_its_communitys_gateway_topic(string topic, bool allowed)
    {
        Assert.Equal(allowed, TopicAcl.MayPublish(Gateway, topic));
    }

    [Theory]
    [InlineData("city/#")]
    [InlineData("#")]
    [InlineData("city/d1/c1/water/+")]
    [InlineData("city/d1/c1/water/w2")]
    [InlineData("$SYS/#")]
    [InlineData("+/+/+/+/+")]
    public void A_device_cannot_subscribe_to_other_devices_telemetry(string filter)
    {
        Assert.False(TopicAcl.MaySubscribe(Meter, filter));
        Assert.False(TopicAcl.MaySubscribe(Gateway, filter));
    }

    [Fact]
    public void A_device_may_subscribe_to_its_own_topic_only()
    {
        Assert.True(TopicAcl.MaySubscribe(Meter, "city/d1/c1/water/w1"));
    }

    [Fact]
    public void A_service_publishes_and_subscribes_inside_its_scope_only()
    {
        Assert.True(TopicAcl.MayPublish(Simulator, "city/d1/c1/water/w1"));
        Assert.True(TopicAcl.MayPublish(Simulator, "city/d1/c1/gateway/gw1"));
        Assert.False(TopicAcl.MayPublish(Simulator, "admin/shutdown"));
        Assert.True(TopicAcl.MaySubscribe(Simulator, "city/#"));
        Assert.False(TopicAcl.MaySubscribe(Simulator, "#"));
        Assert.False(TopicAcl.MaySubscribe(Simulator, "city/#/x"));
    }
}
