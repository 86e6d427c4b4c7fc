using System.Buffers.Text;
using System.Text;

namespace CitySense.Workload;

/// <summary>
/// Writes readings of telemetry contract v1 as UTF-8 JSON, with the metrics of docs/telemetry.md per kind
/// (water/gas: total, flow, pressure; heat: energy, power, flow, supplyTemp, returnTemp; env: temperature, humidity,
/// pm25; smoke; gasleak; manhole; any other kind: value). Registers advance by the reading's flow (or power) over the
/// time since the device's previous reading, so a meter's rate per hour is plausible at any offered load (CitySense
/// holds a step far above a meter's usual rate as a suspect, docs/history.md); the rest wander in plausible ranges with at most 3 decimals, and a few readings
/// trip alarm rules (water pressure, heat delta-T, gas leak, smoke, manhole), as a city's do.
/// </summary>
public static class ReadingWriter
{
    /// <summary>Enough for any single reading this writer produces, identity included.</summary>
    public const int MaxReadingBytes = 512;

    /// <summary>The highest flows written (m³/h; heat: kW): what a register gains per hour at most.</summary>
    public const double MaxWaterFlow = 1.2, MinHeatPower = 5, MaxHeatPower = 25, MaxGasFlow = 0.8;

    /// <summary>Writes one reading object and advances the device's register and seq. Returns the bytes written.</summary>
    public static int Write(Span<byte> destination, CityDevice device, long timestampMs, Random random, bool includeIdentity)
    {
        var d = destination;
        var n = 0;
        device.Seq++;
        var hours = device.LastTimestampMs == 0 ? 5 / 3600.0 : Math.Max(0, timestampMs - device.LastTimestampMs) / 3_600_000.0;
        device.LastTimestampMs = timestampMs;
        Raw(d, ref n, "{"u8);
        if (includeIdentity)
        {
            Raw(d, ref n, "\"device\":\""u8);
            Ascii(d, ref n, device.Id);
            Raw(d, ref n, "\",\"kind\":\""u8);
            Ascii(d, ref n, device.Kind);
            Raw(d, ref n, "\","u8);
        }

        Raw(d, ref n, "\"ts\":"u8);
        Integer(d, ref n, timestampMs);
        Raw(d, ref n, ",\"seq\":"u8);
        Integer(d, ref n, (long)device.Seq);
        switch (device.Kind)
        {
            case "water":
                var waterFlow = Math.Round(random.NextDouble() * MaxWaterFlow, 3);
                device.Register += waterFlow * hours; // m³ at this flow in m³/h
                Metric(d, ref n, "total"u8, Math.Round(device.Register, 3));
                Metric(d, ref n, "flow"u8, waterFlow);
                // One reading in 200 below Alarms:WaterPressureMin (0.15 MPa): a city's load raises and clears alarms.
                Metric(d, ref n, "pressure"u8, random.NextDouble() < 0.005 ? 0.1 : Math.Round(0.28 + random.NextDouble() * 0.06, 3));
                break;
            case "heat":
                var power = Math.Round(MinHeatPower + (random.NextDouble() * (MaxHeatPower - MinHeatPower)), 2);
                device.Register += power * hours; // kWh at this power in kW
                var supply = Math.Round(65 + random.NextDouble() * 10, 1);
                Metric(d, ref n, "energy"u8, Math.Round(device.Register, 3));
                Metric(d, ref n, "power"u8, power);
                Metric(d, ref n, "flow"u8, Math.Round(0.3 + random.NextDouble(), 3));
                Metric(d, ref n, "supplyTemp"u8, supply);
                // One reading in 200 with a supply/return difference under Alarms:HeatMinDeltaT (5 K).
                Metric(d, ref n, "returnTemp"u8, random.NextDouble() < 0.005 ? supply - 3 : Math.Round(supply - 15 - random.NextDouble() * 8, 1));
                break;
            case "gas":
                var gasFlow = Math.Round(random.NextDouble() * MaxGasFlow, 3);
                device.Register += gasFlow * hours;
                Metric(d, ref n, "total"u8, Math.Round(device.Register, 3));
                Metric(d, ref n, "flow"u8, gasFlow);
                Metric(d, ref n, "pressure"u8, Math.Round(2.0 + random.NextDouble() * 0.4, 3));
                break;
            case "env":
                Metric(d, ref n, "temperature"u8, Math.Round(10 + random.NextDouble() * 15, 1));
                Metric(d, ref n, "humidity"u8, Math.Round(30 + random.NextDouble() * 50, 1));
                Metric(d, ref n, "pm25"u8, Math.Round(random.NextDouble() * 80, 1));
                break;
            case "smoke":
                Metric(d, ref n, "smoke"u8, random.NextDouble() < 0.002 ? 1 : 0);
                Metric(d, ref n, "battery"u8, Math.Round(80 + random.NextDouble() * 20, 0));
                break;
            case "gasleak":
                // One reading in 1 000 over Alarms:GasLeakWarning (10 % LEL).
                Metric(d, ref n, "lel"u8, random.NextDouble() < 0.001 ? 12 : Math.Round(random.NextDouble() * 3, 2));
                break;
            case "manhole":
                Metric(d, ref n, "open"u8, random.NextDouble() < 0.001 ? 1 : 0);
                Metric(d, ref n, "level"u8, Math.Round(random.NextDouble() * 0.5, 2));
                break;
            default:
                Metric(d, ref n, "value"u8, Math.Round(random.NextDouble() * 100, 2));
                break;
        }

        Raw(d, ref n, "}"u8);
        return n;
    }

    /// <summary>A single-reading payload (device topic): no device or kind properties, the topic names them.</summary>
    public static byte[] Single(CityDevice device, long timestampMs, Random random)
    {
        Span<byte> buffer = stackalloc byte[MaxReadingBytes];
        return buffer[..Write(buffer, device, timestampMs, random, includeIdentity: false)].ToArray();
    }

    /// <summary>A gateway payload: a JSON array of readings, each naming its device and kind.</summary>
    public static byte[] Gateway(IReadOnlyList<CityDevice> devices, long timestampMs, Random random)
    {
        var buffer = new byte[devices.Count * (MaxReadingBytes + 1) + 2];
        return buffer.AsSpan(0, WriteGateway(buffer, devices, 0, devices.Count, timestampMs, random)).ToArray();
    }

    /// <summary>Writes a gateway array of <paramref name="count"/> readings, taking devices round-robin from <paramref name="first"/>.</summary>
    public static int WriteGateway(Span<byte> destination, IReadOnlyList<CityDevice> devices, int first, int count, long timestampMs, Random random)
    {
        var n = 0;
        destination[n++] = (byte)'[';
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                destination[n++] = (byte)',';
            }

            n += Write(destination[n..], devices[(first + i) % devices.Count], timestampMs, random, includeIdentity: true);
        }

        destination[n++] = (byte)']';
        return n;
    }

    private static void Raw(Span<byte> destination, ref int n, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[n..]);
        n += bytes.Length;
    }

    private static void Ascii(Span<byte> destination, ref int n, string value) => n += Encoding.ASCII.GetBytes(value, destination[n..]);

    private static void Integer(Span<byte> destination, ref int n, long value)
    {
        Utf8Formatter.TryFormat(value, destination[n..], out var written);
        n += written;
    }

    private static void Metric(Span<byte> destination, ref int n, ReadOnlySpan<byte> name, double value)
    {
        Raw(destination, ref n, ",\""u8);
        Raw(destination, ref n, name);
        Raw(destination, ref n, "\":"u8);
        Number(destination, ref n, value);
    }

    /// <summary>
    /// Writes <paramref name="value"/> as its shortest round-trip form in the invariant culture: what a device's JSON
    /// library sends. The values here carry at most 3 decimals, so they are written from a whole count of thousandths:
    /// the same text (ReadingWriterTests compares the two) at a fraction of the double formatter's cost, which was most
    /// of the generator's CPU and took a core's share from the silo it measures on this 2-core machine.
    /// </summary>
    public static void Number(Span<byte> destination, ref int n, double value)
    {
        var thousandths = Math.Round(value * 1000);
        // The decimal text of thousandths / 1000 parses to the double nearest that quotient, which is what the division
        // gives: equal means the text reads back as the value. Below 1e15 it has at most 15 significant digits, so no
        // shorter text reads back the same, and the double formatter uses no exponent there. -0 is written "-0".
        if (thousandths is <= -1e15 or >= 1e15 || thousandths / 1000 != value || (value == 0 && double.IsNegative(value)))
        {
            value.TryFormat(destination[n..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            n += written;
            return;
        }

        var m = (long)thousandths;
        if (m < 0)
        {
            destination[n++] = (byte)'-';
            m = -m;
        }

        Integer(destination, ref n, m / 1000);
        var fraction = (int)(m % 1000);
        if (fraction == 0)
        {
            return;
        }

        destination[n++] = (byte)'.';
        destination[n++] = (byte)('0' + fraction / 100);
        if (fraction % 100 != 0)
        {
            destination[n++] = (byte)('0' + fraction / 10 % 10);
            if (fraction % 10 != 0)
            {
                destination[n++] = (byte)('0' + fraction % 10);
            }
        }
    }
}
