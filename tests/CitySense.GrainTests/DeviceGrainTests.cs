using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using Xunit;

namespace CitySense.GrainTests;

[Collection(ClusterCollection.Name)]
public sealed class DeviceGrainTests(ClusterFixture fixture)
{
    private const long T0 = 1_764_115_200_000;

    [Fact]
    public async Task A_device_grain_registers_itself_and_turns_register_readings_into_exact_deltas()
    {
        var address = new DeviceAddress("dg-d1", "dg-c1", "water", "dg-w1");
        var device = fixture.Cluster.Client.GetGrain<IDeviceGrain>(address.Device);

        var updates = (await device.Apply(address, new[]
        {
            Reading(T0, 1, ("total", 1234.567), ("flow", 0.5)),
            Reading(T0 + 30_000, 2, ("total", 1234.570), ("flow", 0.25)),
            Reading(T0 + 90_000, 3, ("total", 1235.001), ("flow", 0.0)),
        }.AsImmutable())).Value;

        Assert.Equal([0m, 0.003m, 0.431m], updates.Select(u => u.ConsumptionDelta));
        Assert.True(updates[0].Flags.HasFlag(DeviceUpdateFlags.FirstSeen));
        Assert.False(updates[1].Flags.HasFlag(DeviceUpdateFlags.FirstSeen));
        Assert.Equal([0.5, -0.25, -0.25], updates.Select(u => u.FlowDelta));

        var snapshot = await device.GetSnapshot();
        Assert.NotNull(snapshot);
        Assert.Equal(("dg-d1", "dg-c1", "water"), (snapshot.District, snapshot.Community, snapshot.Kind));
        Assert.Equal(0.434m, snapshot.Consumption);
        Assert.Equal(1235.001, snapshot.Register);
        Assert.Equal(3UL, snapshot.LastSeq);
    }

    [Fact]
    public async Task A_device_seen_in_one_community_refuses_readings_published_under_another()
    {
        var home = new DeviceAddress("dg-d1", "dg-c2", "gas", "dg-g1");
        var elsewhere = new DeviceAddress("dg-d1", "dg-c3", "gas", "dg-g1");
        var device = fixture.Cluster.Client.GetGrain<IDeviceGrain>(home.Device);
        await device.Apply(home, new[] { Reading(T0, 1, ("total", 10.0)) }.AsImmutable());

        var refused = (await device.Apply(elsewhere, new[] { Reading(T0 + 1000, 2, ("total", 11.0)) }.AsImmutable())).Value;

        Assert.Equal(RejectionReason.DeviceRegisteredElsewhere, Assert.Single(refused).Rejection);
        Assert.Equal("dg-c2", (await device.GetSnapshot())!.Community);
    }

    private static DeviceReading Reading(long ts, ulong seq, params (string Name, double Value)[] metrics) =>
        new(ts, seq, true, ts, metrics.Select(m => new MetricSample(m.Name, m.Value)).ToArray());
}
