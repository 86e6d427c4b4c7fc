using System.Globalization;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// Duplicates by seq as a device maker sees them (docs/telemetry.md section 6), sent by Debian's mosquitto_pub at QoS 1
/// (acknowledged once applied): a resend with the same seq and a new ts is a duplicate, a late reading whose seq is out
/// of reach costs the recent readings nothing, and a jump of the counter forgets the seqs it leaves behind.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DuplicateSeqTests
{
    [Fact]
    public async Task A_seq_is_recognised_within_reach_of_the_newest_reading_and_forgotten_when_the_counter_jumps_away()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;

        await Read(silo, t0, 100, 10m);
        await Read(silo, t0 + 1_000, 101, 10.5m);
        // Re-stamped resend (a gateway that stamps its send time): the same seq, a duplicate.
        await Read(silo, t0 + 1_500, 101, 10.5m);
        // A straggler from a backlog, older than the newest and its seq 59 899 ahead of the newest's: taken (it splits
        // the step it falls into), its seq not remembered, and the recent seqs keep theirs.
        await Read(silo, t0 + 500, 60_000, 10.2m);
        await Read(silo, t0 + 1_700, 100, 10.5m);
        // The counter jumps 40 000 ahead (restarted with a new base): 100 and 101 are forgotten.
        await Read(silo, t0 + 2_000, 40_101, 11m);
        await Read(silo, t0 + 3_000, 101, 11.2m);
        // Same ts as the one before: a duplicate whatever its seq.
        await Read(silo, t0 + 3_000, 5, 11.2m);

        var device = (await silo.GetJsonAsync("/api/devices/dup-w1"))!.Value;
        Assert.Equal((5L, 3L), (device.GetProperty("accepted").GetInt64(), device.GetProperty("duplicates").GetInt64()));
        // 10 → 10.5 (split by the straggler at 10.2) → 11 → 11.2.
        Assert.Equal(1.2m, device.GetProperty("consumption").GetDecimal());
        Assert.Equal(101UL, device.GetProperty("lastSeq").GetUInt64());
        var latest = device.GetProperty("latest").EnumerateArray().Single();
        Assert.Equal(("total", 11.2), (latest.GetProperty("name").GetString(), latest.GetProperty("value").GetDouble()));
    }

    private static Task Read(CitySenseInstance silo, long ts, ulong seq, decimal total) =>
        OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/dup-d/dup-c/water/dup-w1",
            $$"""{"ts":{{ts}},"seq":{{seq}},"total":{{total.ToString(CultureInfo.InvariantCulture)}}}""");
}
