using CitySense.Contracts.Routing;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Routing;

/// <summary>
/// A batch's readings grouped per device, arrival order kept within each device. Readings of a device are chained
/// through arrays reused across batches, so grouping allocates nothing per reading beyond each device's input array.
/// Used by one batch at a time.
/// </summary>
internal sealed class DeviceGroups
{
    private readonly Dictionary<DeviceAddress, int> _index = new(ReferenceEqualityComparer.Instance);
    private int[] _next = [];
    private int[] _head = [];
    private int[] _tail = [];
    private int[] _count = [];

    /// <summary>The batch's devices in order of first reading, and for each its readings in arrival order.</summary>
    public (DeviceAddress[] Devices, DeviceReading[][] Inputs) Group(IDecodedBatch batch)
    {
        var readings = batch.Readings;
        _index.Clear();
        if (_next.Length < readings.Length)
        {
            _next = new int[readings.Length];
            _head = new int[readings.Length];
            _tail = new int[readings.Length];
            _count = new int[readings.Length];
        }

        var deviceCount = 0;
        for (var i = 0; i < readings.Length; i++)
        {
            var address = readings[i].Address;
            _next[i] = -1;
            if (_index.TryGetValue(address, out var d))
            {
                _next[_tail[d]] = i;
                _tail[d] = i;
                _count[d]++;
            }
            else
            {
                d = deviceCount++;
                _index.Add(address, d);
                _head[d] = _tail[d] = i;
                _count[d] = 1;
            }
        }

        var devices = new DeviceAddress[deviceCount];
        var inputs = new DeviceReading[deviceCount][];
        for (var d = 0; d < deviceCount; d++)
        {
            var input = new DeviceReading[_count[d]];
            var j = 0;
            for (var i = _head[d]; i >= 0; i = _next[i])
            {
                ref readonly var decoded = ref readings[i];
                input[j++] = new DeviceReading(decoded.TimestampMs, decoded.Seq, decoded.HasSeq, decoded.ReceivedAtMs, batch.MetricsOf(decoded).ToArray());
            }

            devices[d] = readings[_head[d]].Address;
            inputs[d] = input;
        }

        return (devices, inputs);
    }
}
