using System.Buffers;
using CitySense.Workload;
using CitySense.Workload.Buffers;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>
/// Realistic message sets: a city of every kind (water, heat, gas, env, smoke, gasleak, manhole), readings timestamped
/// now so the decoder's clock-skew check passes, as single-reading or 100-reading gateway messages.
/// </summary>
public static class MessageSets
{
    /// <summary>The city every suite uses: 1000 devices, 2 districts, 10 communities, all kinds.</summary>
    public static SimulatedCity City() => SimulatedCity.Build(devices: 1000, districts: 2, communities: 10, SimulatedCity.AllKinds);

    public static TelemetryMessage[] Singles(SimulatedCity city, int count, PayloadLayout layout, int seed = 1)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var messages = new TelemetryMessage[count];
        for (var i = 0; i < count; i++)
        {
            var device = city.Devices[i % city.Devices.Count];
            messages[i] = new TelemetryMessage(device.Topic, Lay(ReadingWriter.Single(device, now, random), layout), 1);
        }

        return messages;
    }

    /// <summary>Gateway messages of <paramref name="readingsPerMessage"/> readings of one community each, communities in turn.</summary>
    public static TelemetryMessage[] Gateways(SimulatedCity city, int count, int readingsPerMessage, PayloadLayout layout, int seed = 1)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var messages = new TelemetryMessage[count];
        var buffer = new byte[readingsPerMessage * (ReadingWriter.MaxReadingBytes + 1) + 2];
        for (var i = 0; i < count; i++)
        {
            var community = city.Communities[i % city.Communities.Count];
            var n = ReadingWriter.WriteGateway(buffer, community.Devices, i / city.Communities.Count * readingsPerMessage, readingsPerMessage, now, random);
            messages[i] = new TelemetryMessage(community.GatewayTopic, Lay(buffer.AsSpan(0, n).ToArray(), layout), readingsPerMessage);
        }

        return messages;
    }

    public static ReadOnlySequence<byte> Lay(byte[] payload, PayloadLayout layout) => layout switch
    {
        PayloadLayout.SingleSegment => new ReadOnlySequence<byte>(payload),
        PayloadLayout.MultiSegment64 => SegmentedSequence.Split(payload, 64),
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };
}
