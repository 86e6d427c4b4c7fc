using System.Globalization;
using System.Text;
using System.Text.Json;
using CitySense.Workload;

namespace CitySense.UnitTests.Workload;

/// <summary>
/// The load generator writes metric values from thousandths instead of through the double formatter; a device's JSON
/// library sends the shortest round-trip form, so the text must be exactly that, for every value the formatter takes and
/// for every value it hands back to the double formatter.
/// </summary>
public sealed class ReadingWriterTests
{
    private static string Written(double value)
    {
        Span<byte> buffer = stackalloc byte[64];
        var n = 0;
        ReadingWriter.Number(buffer, ref n, value);
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.001)]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    [InlineData(-0.001)]
    [InlineData(-12.5)]
    [InlineData(1.005)]
    [InlineData(2.675)]
    [InlineData(0.0001)]
    [InlineData(0.00001)]
    [InlineData(1234567.891)]
    [InlineData(999999999999.999)]
    [InlineData(999999999999999)]
    [InlineData(1e15)]
    [InlineData(1e21)]
    [InlineData(-1e15)]
    [InlineData(0.1 + 0.2)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Writes_the_shortest_round_trip_form(double value) =>
        Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Written(value));

    [Fact]
    public void Writes_negative_zero_as_the_double_formatter_does() => Assert.Equal("-0", Written(-0.0));

    [Fact]
    public void Writes_the_shortest_round_trip_form_of_random_values()
    {
        var random = new Random(20261126);
        for (var i = 0; i < 200_000; i++)
        {
            var scale = Math.Pow(10, random.Next(-2, 13));
            var raw = (random.NextDouble() - 0.2) * scale;
            // Mostly what the generator sends (0 to 3 decimals), some with every digit a double has.
            var value = i % 5 == 4 ? raw : Math.Round(raw, random.Next(0, 4));
            Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Written(value));
        }
    }

    [Fact]
    public void Gateway_payloads_are_json_that_reads_back_every_value()
    {
        var city = SimulatedCity.Build(200, 2, 4, SimulatedCity.AllKinds, 7);
        var buffer = new byte[city.Devices.Count * (ReadingWriter.MaxReadingBytes + 1) + 2];
        var length = ReadingWriter.WriteGateway(buffer, city.Devices, 0, city.Devices.Count, 1_795_000_000_000, new Random(7));
        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        Assert.Equal(city.Devices.Count, document.RootElement.GetArrayLength());
        var numbers = 0;
        foreach (var reading in document.RootElement.EnumerateArray())
        {
            foreach (var property in reading.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number && property.Name is not ("ts" or "seq"))
                {
                    var text = property.Value.GetRawText();
                    Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), text);
                    numbers++;
                }
            }
        }

        Assert.True(numbers >= 2 * city.Devices.Count, $"{numbers} metric values in {city.Devices.Count} readings");
    }
}
