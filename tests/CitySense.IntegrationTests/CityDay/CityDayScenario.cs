using System.Globalization;
using System.Text;

namespace CitySense.IntegrationTests.CityDay;

/// <summary>
/// A deterministic day of a small city, every device reporting every 15 minutes, with what a utility meets in the field:
/// a water register wrapping at 99999999.999, a gas meter reset by replacement (detected: its register falls far) and one
/// replaced with an operator record (its new register reads higher than the old), a heat meter with backwards jitter,
/// duplicates, a reading held back until after the next one (out of order, within the allowed lateness), a reading two hours late, a leaking
/// water meter (night flow), a gas-leak detector going warning → critical → clear, a smoke alarm, an env sensor falling
/// silent at noon (offline), and bad payloads.
/// </summary>
public sealed class CityDayScenario
{
    public const long StepMs = 15 * 60_000;
    public const long LagMs = 2_000;

    private readonly List<DayStep> _steps = [];
    private readonly List<DayReading> _readings = [];
    private readonly Dictionary<string, ulong> _seq = [];
    private readonly Random _random;

    public CityDayScenario(long midnightMs, int seed = 2026)
    {
        MidnightMs = midnightMs;
        _random = new Random(seed);
        var registers = new Dictionary<string, decimal>();
        var devices = new List<(string District, string Community, string Kind, string Id, bool Gateway)>();
        foreach (var district in new[] { "day-east", "day-west" })
        {
            foreach (var community in new[] { "a", "b" })
            {
                var p = $"{district}-{community}";
                devices.AddRange(
                [
                    (district, community, "water", $"{p}-w1", true),
                    (district, community, "water", $"{p}-w2", true),
                    (district, community, "water", $"{p}-w3", false),
                    (district, community, "heat", $"{p}-h1", false),
                    (district, community, "gas", $"{p}-g1", false),
                    (district, community, "gasleak", $"{p}-l1", false),
                    (district, community, "smoke", $"{p}-s1", false),
                    (district, community, "env", $"{p}-e1", false),
                ]);
            }
        }

        foreach (var d in devices.Where(d => d.Kind is "water" or "heat" or "gas"))
        {
            registers[d.Id] = d.Id == "day-east-a-w3" ? 99_999_990.000m : _random.Next(100, 50_000) + _random.Next(0, 1000) / 1000m;
        }

        for (var step = 0; step < 96; step++)
        {
            var at = midnightMs + step * StepMs;
            var gateway = new Dictionary<(string, string), List<string>>();
            foreach (var d in devices)
            {
                if (d.Id == "day-west-b-e1" && step >= 48)
                {
                    continue; // falls silent at noon
                }

                var ts = at + _random.Next(0, 60) * 1000;
                var metrics = new Dictionary<string, double>();
                decimal? register = null;
                double? flow = null;
                var replacementRecorded = false;
                switch (d.Kind)
                {
                    case "water":
                        // Nobody draws water at night (02:00–04:00) but the leaking w2 of east/b; by day flow stops every two
                        // hours, so no meter flows six hours on end.
                        flow = step is >= 8 and < 16 ? (d.Id == "day-east-b-w2" ? 0.3 : 0.0)
                            : step % 8 == 4 ? 0.0
                            : Math.Round(0.01 + _random.NextDouble() * 1.5, 3);
                        registers[d.Id] += (decimal)Math.Round(flow.Value * 0.25, 3);
                        if (registers[d.Id] > 99_999_999.999m)
                        {
                            registers[d.Id] -= 100_000_000.000m; // the register wraps
                        }

                        register = registers[d.Id];
                        metrics["pressure"] = 0.3;
                        break;
                    case "heat":
                        // Every tenth reading jitters 0.005 kWh below the last one: ignored, never subtracted and added again.
                        if (step % 10 == 9)
                        {
                            register = registers[d.Id] - 0.005m;
                        }
                        else
                        {
                            registers[d.Id] += (decimal)_random.Next(1, 3000) / 1000m;
                            register = registers[d.Id];
                        }

                        flow = 0.6;
                        metrics["supplyTemp"] = 70;
                        metrics["returnTemp"] = 50;
                        break;
                    case "gas":
                        registers[d.Id] += (decimal)_random.Next(0, 800) / 1000m;
                        if (d.Id == "day-east-a-g1" && step == 48)
                        {
                            registers[d.Id] = 0.120m; // replaced, detected by the fall
                        }

                        if (d.Id == "day-west-a-g1" && step == 60)
                        {
                            // Replaced by a meter that already reads more: only the operator's record makes it a baseline.
                            registers[d.Id] += 300m;
                            replacementRecorded = true;
                        }

                        register = registers[d.Id];
                        flow = 0.2;
                        metrics["pressure"] = 2.1;
                        break;
                    case "gasleak":
                        metrics["lel"] = d.Id == "day-west-a-l1" ? step switch { 40 => 12, 41 => 30, _ => 1 } : 1;
                        break;
                    case "smoke":
                        metrics["smoke"] = d.Id == "day-east-b-s1" && step == 70 ? 1 : 0;
                        break;
                    default:
                        metrics["temperature"] = Math.Round(15 + _random.NextDouble() * 10, 1);
                        break;
                }

                if (register is { } r)
                {
                    metrics[d.Kind == "heat" ? "energy" : "total"] = (double)r;
                }

                if (flow is { } f)
                {
                    metrics["flow"] = f;
                }

                var reading = NewReading(d.District, d.Community, d.Kind, d.Id, ts, register, flow, metrics, d.Gateway, replacementRecorded);
                if (d.Gateway)
                {
                    (gateway.TryGetValue((d.District, d.Community), out var list) ? list : gateway[(d.District, d.Community)] = []).Add(Json(reading, identity: true));
                    Track(reading, at);
                }
                else
                {
                    Publish(reading, at);
                }
            }

            foreach (var ((district, community), elements) in gateway)
            {
                _steps.Add(new DayStep(at + LagMs, $"city/{district}/{community}/gateway/gw", "[" + string.Join(",", elements) + "]", null));
            }

            if (step == 20)
            {
                // A duplicate (same ts and seq) of the last reading of w3, and bad payloads.
                var last = _readings.Last(x => x.Device == "day-west-a-w3");
                Publish(last with { Arrival = _readings.Count }, at, duplicate: true);
                _steps.Add(new DayStep(at + LagMs, "city/day-west/a/water/day-west-a-w3", "{not json", null));
                _steps.Add(new DayStep(at + LagMs, "city/day-west/a/water/day-west-a-w3", "{\"total\":1}", null));
            }

            if (step == 30)
            {
                // A reading two hours late (beyond the allowed lateness).
                var old = NewReading("day-east", "b", "water", "day-east-b-w3", at - 8 * StepMs + 5_000, 1m, 0.1, new Dictionary<string, double> { ["total"] = 1, ["flow"] = 0.1 }, false, false);
                Publish(old, at);
            }
        }

        SwapOnePair();
    }

    public long MidnightMs { get; }

    public IReadOnlyList<DayStep> Steps => _steps;

    /// <summary>Every reading published (valid ones, duplicates and the late one), in publishing order.</summary>
    public IReadOnlyList<DayReading> Readings => _readings;

    /// <summary>Bad payloads published, per (district/community, kind).</summary>
    public static IReadOnlyDictionary<(string Area, string Kind), long> Rejected { get; } = new Dictionary<(string, string), long>
    {
        [("day-west/a", "water")] = 2,
    };

    private DayReading NewReading(string district, string community, string kind, string device, long ts, decimal? register, double? flow, Dictionary<string, double> metrics, bool gateway, bool replacement)
    {
        var seq = _seq[device] = _seq.GetValueOrDefault(device) + 1;
        return new DayReading(-1, 0, district, community, kind, device, ts, seq, register, flow, metrics, gateway, replacement);
    }

    private void Publish(DayReading reading, long at, bool duplicate = false)
    {
        Track(reading, at);
        var topic = $"city/{reading.District}/{reading.Community}/{reading.Kind}/{reading.Device}";
        if (reading.ReplacementRecordedBefore)
        {
            _steps.Add(new DayStep(at + LagMs, null, null, reading.Device));
        }

        _steps.Add(new DayStep(at + LagMs, topic, Json(reading, identity: false), null));
    }

    private void Track(DayReading reading, long at) =>
        _readings.Add(reading with { Arrival = _readings.Count, ReceivedAtMs = at + LagMs });

    /// <summary>
    /// Holds back one reading of h1 in west/b after noon until just after the next one: it arrives out of order, 15 minutes
    /// after its event time (within the allowed lateness).
    /// </summary>
    private void SwapOnePair()
    {
        const string topic = "city/day-west/b/heat/day-west-b-h1";
        var first = _steps.FindIndex(s => s.Topic == topic && s.NowMs > MidnightMs + 50 * StepMs);
        var second = _steps.FindIndex(first + 1, s => s.Topic == topic);
        var held = _steps[first] with { NowMs = _steps[second].NowMs };
        _steps.Insert(second + 1, held);
        _steps.RemoveAt(first);

        var a = _readings.FindIndex(r => r.Device == "day-west-b-h1" && r.TimestampMs > MidnightMs + 50 * StepMs);
        var b = _readings.FindIndex(a + 1, r => r.Device == "day-west-b-h1");
        var reading = _readings[a] with { ReceivedAtMs = _readings[b].ReceivedAtMs };
        _readings.Insert(b + 1, reading);
        _readings.RemoveAt(a);
        for (var i = 0; i < _readings.Count; i++)
        {
            _readings[i] = _readings[i] with { Arrival = i };
        }
    }

    private static string Json(DayReading r, bool identity)
    {
        var b = new StringBuilder("{");
        if (identity)
        {
            b.Append(CultureInfo.InvariantCulture, $"\"device\":\"{r.Device}\",\"kind\":\"{r.Kind}\",");
        }

        b.Append(CultureInfo.InvariantCulture, $"\"ts\":{r.TimestampMs},\"seq\":{r.Seq}");
        foreach (var (name, value) in r.Metrics)
        {
            b.Append(CultureInfo.InvariantCulture, $",\"{name}\":{(name is "total" or "energy" ? r.Register!.Value.ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture))}");
        }

        return b.Append('}').ToString();
    }
}
