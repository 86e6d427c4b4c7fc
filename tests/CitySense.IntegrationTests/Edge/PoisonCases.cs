using System.Globalization;
using System.Text;

namespace CitySense.IntegrationTests.Edge;

/// <summary>One poison per rejection reason of docs/telemetry.md §8, each followed by a valid reading.</summary>
internal static class PoisonCases
{
    public const int TopicNameInvalid = 0x90;
    public const int PayloadFormatInvalid = 0x99;
    public const int QuotaExceeded = 0x97;

    /// <summary>
    /// Cases for one run; <paramref name="tag"/> keeps device ids apart between runs on one silo.
    /// <paramref name="rateLimitedTopic"/>: a topic whose burst is already spent (the silo runs with a burst of 1).
    /// <paramref name="decommissioned"/>: a device the test decommissioned before.
    /// <paramref name="registered"/>: a device already reporting in community "pz-c", kind water.
    /// </summary>
    public static IReadOnlyList<PoisonCase> For(string tag, long nowMs, string rateLimitedTopic, string decommissioned, string registered)
    {
        var ts = nowMs.ToString(CultureInfo.InvariantCulture);
        var cases = new List<PoisonCase>();
        // Every poison has a topic of its own: the silo runs with a device burst of 1 for the rate-limited case.
        void Add(string reason, Func<string, string> topic, byte[] payload, int? code)
        {
            var device = $"pz-{tag}-{reason}";
            cases.Add(new PoisonCase(reason, topic(reason), payload, $"city/pz-d/pz-c/water/{device}", device, $$"""{"ts":{{ts}},"total":1.5,"flow":0.2}""", code));
        }

        byte[] J(string json) => PoisonCase.Utf8(json);
        string Device(string reason) => $"city/pz-d/pz-c/water/pz-{tag}-{reason}-p";
        string Gateway(string reason) => $"city/pz-d/pz-c/gateway/pz-{tag}-{reason}-gw";
        Func<string, string> Fixed(string topic) => _ => topic;

        Add("unknown-topic", Fixed("city/pz-d/pz-c/water"), J($$"""{"ts":{{ts}},"total":1}"""), TopicNameInvalid);
        Add("invalid-id-topic", Fixed("city/pz-d/pz-c/water/bad id!"), J($$"""{"ts":{{ts}},"total":1}"""), TopicNameInvalid);
        Add("invalid-id-percent", Fixed("city/pz-d/pz-c/water/bad%id"), J($$"""{"ts":{{ts}},"total":1}"""), TopicNameInvalid);
        Add("invalid-id-long", Fixed($"city/pz-d/pz-c/water/{new string('x', 200)}"), J($$"""{"ts":{{ts}},"total":1}"""), TopicNameInvalid);
        Add("invalid-id-metric", Device, J($$"""{"ts":{{ts}},"bad name":1}"""), PayloadFormatInvalid);
        Add("payload-too-large", Device, J($$"""{"ts":{{ts}},"total":1,"pad":"{{new string(' ', 262_200)}}"}"""), PayloadFormatInvalid);
        Add("not-json", Device, J("{\"ts\":"), PayloadFormatInvalid);
        Add("bad-encoding", Device, [.. J("{\"ts\":1,\""), 0xC3, 0x28, .. J("\":1}")], PayloadFormatInvalid);
        Add("not-an-object", Device, J("[1,2]"), PayloadFormatInvalid);
        Add("not-an-array", Gateway, J($$"""{"ts":{{ts}},"total":1}"""), PayloadFormatInvalid);
        Add("too-many-readings", Gateway, J("[" + string.Join(',', Enumerable.Repeat($$"""{"device":"x","kind":"water","ts":{{ts}},"total":1}""", 1001)) + "]"), PayloadFormatInvalid);
        Add("missing-ts", Device, J("""{"total":1}"""), PayloadFormatInvalid);
        Add("invalid-ts", Device, J("""{"ts":"yesterday","total":1}"""), PayloadFormatInvalid);
        Add("ts-in-future", Device, J($$"""{"ts":{{nowMs + 3_600_000}},"total":1}"""), PayloadFormatInvalid);
        Add("wrong-type", Device, J($$"""{"ts":{{ts}},"total":"1"}"""), PayloadFormatInvalid);
        Add("not-finite", Device, J($$"""{"ts":{{ts}},"total":1e400}"""), PayloadFormatInvalid);
        Add("no-metrics", Device, J($$"""{"ts":{{ts}},"seq":1}"""), PayloadFormatInvalid);
        Add("too-many-metrics", Device, J("{\"ts\":" + ts + "," + string.Join(',', Enumerable.Range(0, 33).Select(i => $"\"m{i}\":1")) + "}"), PayloadFormatInvalid);
        Add("missing-device", Gateway, J($$"""[{"kind":"water","ts":{{ts}},"total":1}]"""), PayloadFormatInvalid);
        Add("missing-kind", Gateway, J($$"""[{"device":"pz-{{tag}}-k","ts":{{ts}},"total":1}]"""), PayloadFormatInvalid);
        Add("duplicate-key", Device, J($$"""{"ts":{{ts}},"ts":{{ts}},"total":1}"""), PayloadFormatInvalid);
        Add("rate-limited", Fixed(rateLimitedTopic), J($$"""{"ts":{{ts}},"total":1}"""), QuotaExceeded);
        // Decided by the device's state after decoding: the PUBACK is a success, the rejection is in GET /api/rejections.
        Add("device-registered-elsewhere", Fixed($"city/pz-d/pz-other/water/{registered}"), J($$"""{"ts":{{ts}},"total":2}"""), null);
        Add("register-out-of-range", Device, J($$"""{"ts":{{ts}},"total":-5}"""), null);
        Add("device-decommissioned", Fixed($"city/pz-d/pz-c/water/{decommissioned}"), J($$"""{"ts":{{ts}},"total":3}"""), null);
        return cases;
    }

    public static string Describe(IEnumerable<PoisonCase> cases) => new StringBuilder().AppendJoin(", ", cases.Select(c => c.Name)).ToString();
}
