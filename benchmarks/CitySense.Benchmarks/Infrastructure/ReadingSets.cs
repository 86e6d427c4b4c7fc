using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Devices;
using CitySense.Ingest.Pipeline;
using CitySense.Workload;
using CitySense.Ingest.Batches;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>
/// Readings and device updates produced by the real code: payloads from the workload writer, decoded by the
/// TelemetryDecoder, turned into DeviceReadings as the ingest worker does, and into DeviceUpdates by DeviceState.
/// </summary>
public static class ReadingSets
{
    /// <summary>
    /// <paramref name="rounds"/> rounds in which every device reports once, <paramref name="stepMs"/> apart in event
    /// time, the last round just before now (the decoder refuses readings from the future).
    /// </summary>
    public static AddressedReading[][] Rounds(SimulatedCity city, int rounds, long stepMs, int seed = 7)
    {
        var decoder = DecoderFactory.Create();
        var random = new Random(seed);
        var options = new IndicatorOptions();
        // Window-aligned start: rounds fill whole windows, as a steady city does.
        var start = options.WindowStart(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - rounds * stepMs - options.WindowMs);
        var result = new AddressedReading[rounds][];
        for (var r = 0; r < rounds; r++)
        {
            var batch = new ReadingBatch();
            foreach (var device in city.Devices)
            {
                var payload = ReadingWriter.Single(device, start + r * stepMs, random);
                if (decoder.Decode(device.Topic, new System.Buffers.ReadOnlySequence<byte>(payload), batch).Accepted != 1)
                {
                    throw new InvalidOperationException($"{device.Topic} was rejected: {System.Text.Encoding.UTF8.GetString(payload)}");
                }
            }

            result[r] = new AddressedReading[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var p = batch.Readings[i];
                result[r][i] = new AddressedReading(p.Address, new DeviceReading(p.TimestampMs, p.Seq, p.HasSeq, p.ReceivedAtMs, batch.MetricsOf(p).ToArray()));
            }
        }

        return result;
    }

    /// <summary>The updates DeviceState gives for these rounds, applied in order per device.</summary>
    public static DeviceUpdate[][] Updates(AddressedReading[][] rounds, IndicatorOptions options)
    {
        var states = new Dictionary<string, DeviceState>(StringComparer.Ordinal);
        var result = new DeviceUpdate[rounds.Length][];
        for (var r = 0; r < rounds.Length; r++)
        {
            result[r] = new DeviceUpdate[rounds[r].Length];
            for (var i = 0; i < rounds[r].Length; i++)
            {
                var (address, reading) = rounds[r][i];
                if (!states.TryGetValue(address.Device, out var state))
                {
                    state = new DeviceState(new DeviceRules(options, new RegisterOptions()));
                    states.Add(address.Device, state);
                }

                result[r][i] = state.Apply(address, reading);
            }
        }

        return result;
    }
}
