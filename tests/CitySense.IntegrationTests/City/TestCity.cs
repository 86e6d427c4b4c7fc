using System.Globalization;
using System.Text;

namespace CitySense.IntegrationTests.City;

/// <summary>
/// A deterministic little city: two districts of two communities with water (some through a gateway), heat, gas and
/// env devices, readings 25 s apart across several one-minute windows, and one water meter replaced mid-day.
/// </summary>
public sealed class TestCity
{
    public const long WindowMs = 60_000;

    public TestCity(int seed, long startMs, int readingsPerDevice = 8, string prefix = "t")
    {
        var random = new Random(seed);
        var readings = new List<TestReading>();
        foreach (var district in new[] { $"{prefix}-north", $"{prefix}-south" })
        {
            foreach (var community in new[] { "garden", "river" })
            {
                var devices = new List<(string Kind, string Id, bool Gateway)>
                {
                    ("water", $"{district}-{community}-w1", true),
                    ("water", $"{district}-{community}-w2", true),
                    ("water", $"{district}-{community}-w3", false),
                    ("heat", $"{district}-{community}-h1", false),
                    ("heat", $"{district}-{community}-h2", false),
                    ("gas", $"{district}-{community}-g1", false),
                    ("env", $"{district}-{community}-e1", false),
                };
                foreach (var (kind, id, gateway) in devices)
                {
                    decimal? register = kind == "env" ? null : random.Next(100, 90_000) + random.Next(0, 1000) / 1000m;
                    for (var i = 0; i < readingsPerDevice; i++)
                    {
                        var ts = startMs + i * 25_000 + random.Next(0, 1000);
                        if (register is { } r)
                        {
                            // The meter of w3 in "river" is replaced half-way: its register starts again near zero.
                            register = id.EndsWith("river-w3", StringComparison.Ordinal) && i == readingsPerDevice / 2
                                ? random.Next(0, 50) / 1000m
                                : r + random.Next(0, 500) / 1000m;
                        }

                        readings.Add(new TestReading(district, community, kind, id, ts, (ulong)(i + 1), register,
                            Math.Round(random.NextDouble() * 2, 3), Math.Round(15 + random.NextDouble() * 10, 1), gateway));
                    }
                }
            }
        }

        Readings = readings;
    }

    public IReadOnlyList<TestReading> Readings { get; }

    public static long AlignedStart(DateTimeOffset now, TimeSpan ago) =>
        (now - ago).ToUnixTimeMilliseconds() / WindowMs * WindowMs;

    /// <summary>The MQTT messages, in publishing order: gateway messages carry every gateway device's i-th reading.</summary>
    public IEnumerable<(string Topic, string Payload)> Messages()
    {
        var gatewayRounds = Readings.Where(r => r.ViaGateway)
            .GroupBy(r => (r.District, r.Community, r.Seq))
            .OrderBy(g => g.Key.Seq);
        foreach (var round in gatewayRounds)
        {
            var payload = "[" + string.Join(",", round.Select(r => Json(r, identity: true))) + "]";
            yield return ($"city/{round.Key.District}/{round.Key.Community}/gateway/gw-{round.Key.Community}", payload);
        }

        foreach (var r in Readings.Where(r => !r.ViaGateway))
        {
            yield return ($"city/{r.District}/{r.Community}/{r.Kind}/{r.Device}", Json(r, identity: false));
        }
    }

    private static string Json(TestReading r, bool identity)
    {
        var b = new StringBuilder("{");
        if (identity)
        {
            b.Append(CultureInfo.InvariantCulture, $"\"device\":\"{r.Device}\",\"kind\":\"{r.Kind}\",");
        }

        b.Append(CultureInfo.InvariantCulture, $"\"ts\":{r.TimestampMs},\"seq\":{r.Seq}");
        switch (r.Kind)
        {
            case "water":
            case "gas":
                b.Append(CultureInfo.InvariantCulture, $",\"total\":{r.Register},\"flow\":{r.Flow},\"pressure\":0.31");
                break;
            case "heat":
                b.Append(CultureInfo.InvariantCulture, $",\"energy\":{r.Register},\"flow\":{r.Flow},\"supplyTemp\":70.5,\"returnTemp\":50.25");
                break;
            default:
                b.Append(CultureInfo.InvariantCulture, $",\"temperature\":{r.Temperature}");
                break;
        }

        return b.Append('}').ToString();
    }
}
