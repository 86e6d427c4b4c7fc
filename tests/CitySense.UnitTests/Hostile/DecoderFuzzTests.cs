using System.Buffers;
using System.Globalization;
using System.Text;
using CitySense.UnitTests.Support;
using CitySense.Workload.Buffers;
using CsCheck;

namespace CitySense.UnitTests.Hostile;

/// <summary>
/// Property-based fuzzing of the decoder with CsCheck: random bytes, random JSON-ish structures and valid generated
/// readings, each decoded whole and cut into segments. Iterations are modest so the suite stays fast; a failure prints
/// its seed, and a crash found this way becomes a case of <see cref="HostileCorpus"/>.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class DecoderFuzzTests
{
    private const int Iterations = 1_500;

    private static readonly Gen<string> Topic = Gen.OneOf(Gen.Const(DecoderHarness.WaterTopic), Gen.Const(DecoderHarness.GatewayTopic));

    /// <summary>Keys that mean something to the decoder, and keys that try to confuse it.</summary>
    private static readonly Gen<string> Key = Gen.OneOf(
        ["\"ts\"", "\"seq\"", "\"device\"", "\"kind\"", "\"total\"", "\"flow\"", "\"t\\u0073\"", "\"\"", "\"m1\"", "\"a b\"", "\"\\ud800\"",
         "\"" + new string('k', 70) + "\"", "ts", "1", "\"to\\u0000tal\""]);

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (3, Gen.Long[946_684_800_000, DecoderHarness.NowMs + 600_000].Select(v => v.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.Double.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
        (2, Gen.OneOf(["1e400", "-1e400", "1e-400", "-0", "01", "1.", ".5", "+1", "-", "0x10", "NaN", "Infinity", "18446744073709551616",
                       "-9223372036854775809", new string('9', 300), "1.7408298e12"])),
        (2, Gen.OneOf(["\"w1\"", "\"water\"", "\"gateway\"", "\"\"", "\"a\\\"b\"", "\"\\ud800\"", "\"\\u0041\"", "\"#\"", "\"w1/x\""])),
        (1, Gen.OneOf(["true", "false", "null", "}", "]", ",", ":", "'", "\""])));

    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 6
        ? Scalar
        : Gen.Frequency(
            (5, Scalar),
            (1, value.Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")),
            (2, Gen.Select(Key, value).Array[0, 6].Select(members => "{" + string.Join(',', members.Select(m => m.Item1 + ":" + m.Item2)) + "}"))));

    /// <summary>A JSON-ish payload, sometimes spoiled: a byte-order mark, a truncation, a stray byte, invalid UTF-8.</summary>
    private static readonly Gen<byte[]> JsonIsh = Gen.Select(Value, Gen.Int[0, 9], Gen.Int[0, 1000], Gen.Byte).Select((json, spoil, at, stray) =>
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var cut = bytes.Length == 0 ? 0 : at % bytes.Length;
        return spoil switch
        {
            0 => [0xEF, 0xBB, 0xBF, .. bytes],
            1 => bytes[..cut],
            2 => [.. bytes[..cut], stray, .. bytes[cut..]],
            3 => [.. bytes[..cut], 0xC0, 0xAF, .. bytes[cut..]],
            _ => bytes,
        };
    });

    private static readonly Gen<string> Id = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_.-"], 1, 12];

    private static readonly Gen<GeneratedReading> Reading = Gen.Select(
        Id,
        Gen.OneOf(["water", "heat", "gas", "env", "smoke"]),
        Gen.Long[946_684_800_000, DecoderHarness.NowMs + 300_000],
        Gen.ULong.Nullable(0.5),
        Gen.Select(Id, Gen.Double.Where(double.IsFinite), Gen.Bool).Array[1, 32],
        Gen.Int.Array[40])
        .Select((device, kind, ts, seq, metrics, order) => new GeneratedReading(device, kind, ts, seq,
            metrics.DistinctBy(m => m.Item1).Select(m => ("m" + m.Item1, m.Item2, m.Item3)).ToArray(), order));

    [Fact]
    public void Random_bytes_are_rejected_with_a_reason_and_never_escape_the_decoder()
    {
        var harness = DecoderInvariants.GrownHarness();
        Gen.Select(Topic, Gen.Byte.Array[0, 300], Gen.Int[0, 300], Gen.Int[0, 300]).Sample((topic, bytes, i, j) =>
        {
            var whole = DecoderInvariants.Check(harness, topic, new ReadOnlySequence<byte>(bytes));
            var cut = DecoderInvariants.Check(harness, topic, Cut(bytes, i, j));
            Assert.Equal(whole, cut);
        }, iter: Iterations, threads: 1, print: t => $"{t.Item1} {Convert.ToHexString(t.Item2)} cut {t.Item3},{t.Item4}");
    }

    [Fact]
    public void Random_json_like_structures_are_decoded_or_rejected_with_a_reason_wherever_they_are_cut()
    {
        var harness = DecoderInvariants.GrownHarness();
        Gen.Select(Topic, JsonIsh, Gen.Int[0, 4000], Gen.Int[0, 4000]).Sample((topic, bytes, i, j) =>
        {
            var whole = DecoderInvariants.Check(harness, topic, new ReadOnlySequence<byte>(bytes));
            var cut = DecoderInvariants.Check(harness, topic, Cut(bytes, i, j));
            Assert.Equal(whole, cut);
        }, iter: Iterations, threads: 1, print: t => $"{t.Item1} {TopicParserFuzzTests.Printable(Encoding.UTF8.GetString(t.Item2))} cut {t.Item3},{t.Item4}");
    }

    [Fact]
    public void A_valid_device_reading_decodes_to_exactly_the_generated_values_wherever_it_is_cut()
    {
        var harness = DecoderInvariants.GrownHarness();
        Gen.Select(Reading, Gen.Int[0, 4000], Gen.Int[0, 4000]).Sample((reading, i, j) =>
        {
            var topic = $"city/{DecoderHarness.District}/{DecoderHarness.Community}/{reading.Kind}/{reading.Device}";
            var bytes = Encoding.UTF8.GetBytes(reading.ToJson(withIdentity: false));
            foreach (var payload in (ReadOnlySequence<byte>[])[new(bytes), Cut(bytes, i, j)])
            {
                DecoderInvariants.Check(harness, topic, payload, firstSeenIds: true);
                AssertDecoded(harness, [reading]);
            }
        }, iter: Iterations / 3, threads: 1, print: t => t.Item1.ToJson(withIdentity: false));
    }

    [Fact]
    public void A_valid_gateway_message_decodes_to_exactly_the_generated_values_wherever_it_is_cut()
    {
        var harness = DecoderInvariants.GrownHarness();
        Gen.Select(Reading.Array[1, 6], Gen.Int[0, 8000], Gen.Int[0, 8000]).Sample((readings, i, j) =>
        {
            var bytes = Encoding.UTF8.GetBytes("[" + string.Join(",\n ", readings.Select(r => r.ToJson(withIdentity: true))) + "]");
            foreach (var payload in (ReadOnlySequence<byte>[])[new(bytes), Cut(bytes, i, j)])
            {
                DecoderInvariants.Check(harness, DecoderHarness.GatewayTopic, payload, firstSeenIds: true);
                AssertDecoded(harness, readings);
            }
        }, iter: Iterations / 3, threads: 1, print: t => string.Join(",", t.Item1.Select(r => r.ToJson(withIdentity: true))));
    }

    private static void AssertDecoded(DecoderHarness harness, IReadOnlyList<GeneratedReading> expected)
    {
        Assert.Empty(harness.Batch.Rejections);
        Assert.Equal(expected.Count, harness.Batch.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            var reading = harness.Batch.Readings[r];
            var generated = expected[r];
            Assert.Equal((generated.Device, generated.Kind, DecoderHarness.District, DecoderHarness.Community),
                (reading.Address.Device, reading.Address.Kind, reading.Address.District, reading.Address.Community));
            Assert.Equal(generated.Ts, reading.TimestampMs);
            Assert.Equal(generated.Seq.HasValue, reading.HasSeq);
            Assert.Equal(generated.Seq ?? 0, reading.Seq);
            var metrics = harness.Batch.MetricsOf(reading).ToArray();
            Assert.Equal(generated.Metrics.Select(m => m.Name), metrics.Select(m => m.Name));
            Assert.Equal(generated.Metrics.Select(m => BitConverter.DoubleToInt64Bits(m.Value)), metrics.Select(m => BitConverter.DoubleToInt64Bits(m.Value)));
        }
    }

    /// <summary>The bytes in three segments, cut at two points chosen by the generator.</summary>
    private static ReadOnlySequence<byte> Cut(byte[] bytes, int i, int j)
    {
        var a = bytes.Length == 0 ? 0 : i % (bytes.Length + 1);
        var b = bytes.Length == 0 ? 0 : j % (bytes.Length + 1);
        return SegmentedSequence.Of(bytes, Math.Min(a, b), Math.Max(a, b));
    }

    /// <summary>A reading as a device would send it: properties in a generated order, numbers in round-trip form.</summary>
    internal sealed record GeneratedReading(string Device, string Kind, long Ts, ulong? Seq, (string Name, double Value, bool Exponent)[] Metrics, int[] Order)
    {
        public string ToJson(bool withIdentity)
        {
            var properties = new List<string> { $"\"ts\":{Ts}" };
            if (Seq is { } seq)
            {
                properties.Add($"\"seq\":{seq}");
            }

            if (withIdentity)
            {
                properties.Add($"\"device\":\"{Device}\"");
                properties.Add($"\"kind\":\"{Kind}\"");
            }

            // Metrics keep their relative order (the decoder keeps it); everything else is shuffled in between.
            var metrics = new Queue<string>(Metrics.Select(m => $"\"{m.Name}\":{(m.Exponent ? m.Value.ToString("E16", CultureInfo.InvariantCulture) : m.Value.ToString("R", CultureInfo.InvariantCulture))}"));
            var others = new Queue<string>(properties.OrderBy(p => Order[properties.IndexOf(p) % Order.Length]));
            var all = new List<string>();
            var k = 0;
            while (metrics.Count + others.Count > 0)
            {
                var takeMetric = others.Count == 0 || (metrics.Count > 0 && (Order[k++ % Order.Length] & 1) == 0);
                all.Add(takeMetric ? metrics.Dequeue() : others.Dequeue());
            }

            return "{" + string.Join(Order[0] % 3 == 0 ? ", " : ",", all) + "}";
        }
    }
}
