using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Areas;
using CitySense.Grains.Domain.Devices;
using CitySense.Grains.State;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// The pure logic of device, community and district under a silo failure at every point of every batch: whatever is
/// lost or redelivered, each level's consumption equals what the registers moved (the grains and the worker only wire
/// these steps together; the cluster test kills a real silo).
/// </summary>
public sealed class CrashRecoveryTests
{
    private const long T0 = 1_740_830_400_000;
    private const string Community = "north/c1";
    private static readonly IndicatorOptions Options = new() { Window = TimeSpan.FromMinutes(1) };
    private static readonly string[] Devices = ["w1", "w2", "w3"];

    public enum Failure
    {
        /// <summary>The devices' silo died after they applied the batch: their memory is gone, nothing stored.</summary>
        AfterDevices,

        /// <summary>The community stored the batch, then the silo died: the district never saw it.</summary>
        AfterCommunity,

        /// <summary>Every level stored the batch, but the silo died before the broker got the acknowledgement.</summary>
        BeforeAcknowledgement,
    }

    public static TheoryData<int, Failure, bool> Cases()
    {
        var cases = new TheoryData<int, Failure, bool>();
        for (var batch = 0; batch < 6; batch++)
        {
            foreach (var failure in Enum.GetValues<Failure>())
            {
                cases.Add(batch, failure, true);
                cases.Add(batch, failure, false);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_level_counts_the_registers_movement_exactly_once(int failedBatch, Failure failure, bool devicesDie)
    {
        var readings = Readings();
        var run = new Run();
        var batches = readings.Chunk(5).ToArray();
        for (var b = 0; b < batches.Length; b++)
        {
            if (b == failedBatch)
            {
                run.Fail(batches[b], failure, devicesDie);
            }

            // Applied (again, when it failed: the broker redelivers what was not acknowledged).
            run.Apply(batches[b], stop: null);
        }

        foreach (var device in Devices)
        {
            var first = readings.First(r => r.Device == device).Register;
            var last = readings.Last(r => r.Device == device).Register;
            Assert.Equal(last - first, run.DeviceConsumption(device));
        }

        var expected = Devices.Sum(d => readings.Last(r => r.Device == d).Register - readings.First(r => r.Device == d).Register);
        // Flow sums hold each device's latest flow once, at every level.
        var flows = Devices.Sum(d => Flow(readings.Last(r => r.Device == d).Register));
        Assert.Equal(flows, run.Community.FlowSumOf("water"), 9);
        Assert.Equal(flows, run.District.FlowSumOf("water"), 9);
        Assert.Equal(expected, run.Community.ConsumptionOf("water"));
        Assert.Equal(expected, run.District.ConsumptionOf("water"));
        // The windows add up to the totals too: a correction lands in a window, never beside them.
        Assert.Equal(expected, run.Community.ToSnapshot(100).Single().Windows.Sum(w => w.Consumption));
        Assert.Equal(expected, run.District.ToSnapshot(100).Single().Windows.Sum(w => w.Consumption));
    }

    /// <summary>A flow that follows the register (m³/h), so each reading's flow differs.</summary>
    private static double Flow(decimal register) => (double)(register % 1m);

    /// <summary>Three meters, readings 20 s apart, irregular litres, a little jitter on w2.</summary>
    private static List<(string Device, long Ts, decimal Register)> Readings()
    {
        var list = new List<(string, long, decimal)>();
        var registers = new Dictionary<string, decimal> { ["w1"] = 100m, ["w2"] = 2000.5m, ["w3"] = 7m };
        for (var step = 0; step < 10; step++)
        {
            foreach (var device in Devices)
            {
                var move = device == "w2" && step % 4 == 3 ? -0.001m : 0.001m * ((step * 7 + device[1]) % 13);
                registers[device] += move;
                list.Add((device, T0 + step * 20_000, registers[device]));
            }
        }

        return list;
    }

    private sealed class Run
    {
        private readonly Dictionary<string, DeviceState> _devices = [];
        private long _version;
        private long _storedVersion;
        private (KindState[] Kinds, KeyValuePair<string, LedgerEntry>[] Ledger) _communityStored = ([], []);
        private (KindState[] Kinds, KeyValuePair<string, LedgerEntry>[] Ledger) _districtStored = ([], []);

        public AreaAggregate Community { get; private set; } = new(Options);
        public ConsumptionLedger CommunityLedger { get; private set; } = new();
        public AreaAggregate District { get; private set; } = new(Options);
        public ConsumptionLedger DistrictLedger { get; private set; } = new();

        public decimal DeviceConsumption(string device) => _devices[device].Consumption;

        public void Fail((string Device, long Ts, decimal Register)[] batch, Failure failure, bool devicesDie)
        {
            Apply(batch, failure);
            // The silo died: what only lived in its memory is gone. Areas come back from their stored state.
            Community = Restore(_communityStored, out var communityLedger);
            _version = _storedVersion;
            CommunityLedger = communityLedger;
            District = Restore(_districtStored, out var districtLedger);
            DistrictLedger = districtLedger;
            if (devicesDie)
            {
                _devices.Clear();
            }
        }

        public void Apply((string Device, long Ts, decimal Register)[] batch, Failure? stop)
        {
            var updates = new List<DeviceUpdate>();
            foreach (var (device, ts, register) in batch)
            {
                updates.Add(Device(device).Apply(new DeviceAddress("north", "c1", "water", device),
                    new DeviceReading(ts, 0, false, ts + 100, [new MetricSample("total", (double)register), new MetricSample("flow", Flow(register))])));
            }

            if (stop == Failure.AfterDevices)
            {
                return;
            }

            var communityBatch = new IndicatorBatch(updates.ToArray(), []);
            Community.Apply(communityBatch);
            _version++;
            var totals = Reconciliation.ByDevice(CrashRecoveryTests.Community, communityBatch, Community, CommunityLedger, Options, _version);
            _communityStored = Store(Community, CommunityLedger);
            _storedVersion = _version;
            if (stop == Failure.AfterCommunity)
            {
                return;
            }

            var districtBatch = communityBatch with { Totals = totals };
            District.Apply(districtBatch);
            Reconciliation.BySource(districtBatch, District, DistrictLedger);
            _districtStored = Store(District, DistrictLedger);
        }

        private DeviceState Device(string device)
        {
            if (!_devices.TryGetValue(device, out var state))
            {
                // A new activation: the device grain asks its community's ledger where to carry on from.
                state = new DeviceState(new DeviceRules(Options, new RegisterOptions()));
                if (CommunityLedger.Checkpoint(device) is { } checkpoint)
                {
                    state.Restore(checkpoint);
                }

                _devices[device] = state;
            }

            return state;
        }

        private static (KindState[], KeyValuePair<string, LedgerEntry>[]) Store(AreaAggregate area, ConsumptionLedger ledger) =>
            (area.ToState(long.MinValue), ledger.Entries.ToArray());

        private static AreaAggregate Restore((KindState[] Kinds, KeyValuePair<string, LedgerEntry>[] Ledger) stored, out ConsumptionLedger ledger)
        {
            var area = new AreaAggregate(Options);
            area.Restore(stored.Kinds);
            ledger = new ConsumptionLedger();
            ledger.Restore(stored.Ledger);
            return area;
        }
    }
}
