using System.Globalization;
using System.Text;
using CitySense.Output.LineProtocol;
using CsCheck;

namespace CitySense.UnitTests.LineProtocol;

public sealed class LineBuilderTests : IDisposable
{
    private const long At = 1_740_830_400_000;

    private readonly LineBuilder _lines = new();

    public void Dispose() => _lines.Dispose();

    [Fact]
    public void A_point_is_measurement_tags_fields_and_a_millisecond_timestamp_on_one_line()
    {
        _lines.Measurement("m").Tag("district", "north").Tag("kind", "water").Field("accepted", 3L).Field("flow", 2.5);
        _lines.End(At);

        Assert.Equal("m,district=north,kind=water accepted=3i,flow=2.5 1740830400000\n", Text());
        Assert.Equal(1, _lines.Lines);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(12.0, "12")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.05, "0.05")]
    [InlineData(0.005, "0.005")]
    [InlineData(1234.567, "1234.567")]
    [InlineData(99999999999.999, "99999999999.999")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(2.1666666666666665, "2.1666666666666665")]
    public void A_double_is_the_shortest_text_that_reads_back_as_the_same_double(double value, string text)
    {
        _lines.Measurement("m").Field("v", value);
        _lines.End(At);

        Assert.Equal($"m v={text} {At}\n", Text());
    }

    [Fact]
    public void Values_with_up_to_three_decimals_and_any_other_double_read_back_exactly_and_match_the_round_trip_format()
    {
        // Meter values (thousandths, the fast path) and arbitrary doubles (the general path) alike.
        var meterValue = Gen.Long[-100_000_000_000_000, 100_000_000_000_000].SelectMany(k => Gen.Int[0, 3].Select(d => k / Math.Pow(10, d)));
        Gen.OneOf(meterValue, Gen.Double).Where(double.IsFinite).Sample(value =>
        {
            // CsCheck samples on several threads: one builder each.
            using var lines = new LineBuilder();
            lines.Measurement("m").Field("v", value);
            lines.End(At);
            var text = Encoding.UTF8.GetString(lines.Written);
            var written = text["m v=".Length..^($" {At}\n".Length)];
            Span<byte> general = stackalloc byte[64];
            value.TryFormat(general, out var n, "R", CultureInfo.InvariantCulture);
            Assert.Equal(Encoding.UTF8.GetString(general[..n]), written);
            Assert.Equal(value, double.Parse(written, CultureInfo.InvariantCulture));
        }, iter: 20_000);
    }

    [Fact]
    public void Commas_and_spaces_in_a_measurement_are_escaped_but_equals_signs_are_not()
    {
        _lines.Measurement("my measure,v=1").Field("f", 1L);
        _lines.End(At);

        Assert.Equal(@"my\ measure\,v=1 f=1i 1740830400000" + "\n", Text());
    }

    [Fact]
    public void Commas_equals_signs_and_spaces_in_tag_keys_and_values_are_escaped()
    {
        _lines.Measurement("m").Tag("a b,c=d", "v a,l=ue").Field("f", 1L);
        _lines.End(At);

        Assert.Equal(@"m,a\ b\,c\=d=v\ a\,l\=ue f=1i 1740830400000" + "\n", Text());
    }

    [Fact]
    public void Commas_equals_signs_and_spaces_in_field_keys_are_escaped()
    {
        _lines.Measurement("m").Field("f k,e=y", 1L).Field("g", 2L);
        _lines.End(At);

        Assert.Equal(@"m f\ k\,e\=y=1i,g=2i 1740830400000" + "\n", Text());
    }

    [Fact]
    public void A_tag_with_an_empty_value_is_left_out()
    {
        _lines.Measurement("m").Tag("community", "").Tag("kind", "water").Field("f", 1L);
        _lines.End(At);

        Assert.Equal("m,kind=water f=1i 1740830400000\n", Text());
    }

    [Fact]
    public void Non_ascii_text_is_written_as_utf8()
    {
        _lines.Measurement("m").Tag("city", "Zürich").Field("f", 1L);
        _lines.End(At);

        Assert.Equal("m,city=Zürich f=1i 1740830400000\n", Text());
    }

    [Theory]
    [InlineData(0L, "0i")]
    [InlineData(42L, "42i")]
    [InlineData(-7L, "-7i")]
    [InlineData(long.MaxValue, "9223372036854775807i")]
    [InlineData(long.MinValue, "-9223372036854775808i")]
    public void Integer_fields_carry_the_i_suffix(long value, string written)
    {
        _lines.Measurement("m").Field("n", value);
        _lines.End(At);

        Assert.Equal($"m n={written} 1740830400000\n", Text());
    }

    [Theory]
    [InlineData(2.5, "2.5")]
    [InlineData(2.0, "2")]
    [InlineData(-1234.5678, "-1234.5678")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e21, "1E+21")]
    [InlineData(2.5e-5, "2.5E-05")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    public void Double_fields_round_trip_in_the_invariant_format(double value, string written)
    {
        _lines.Measurement("m").Field("x", value);
        _lines.End(At);

        Assert.Equal($"m x={written} 1740830400000\n", Text());
    }

    [Theory]
    [InlineData("0.003", "0.003")]
    [InlineData("1234.570", "1234.570")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("0", "0")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void Decimal_fields_are_written_exactly(string value, string written)
    {
        _lines.Measurement("m").Field("consumption", decimal.Parse(value, CultureInfo.InvariantCulture));
        _lines.End(At);

        Assert.Equal($"m consumption={written} 1740830400000\n", Text());
    }

    [Fact]
    public void Numbers_are_written_invariantly_whatever_the_thread_culture()
    {
        // The project runs with InvariantGlobalization, where new CultureInfo("de-DE") throws CultureNotFoundException;
        // a writable clone of the invariant culture with German number formatting (and a Unicode minus) stands in for it.
        var german = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        german.NumberFormat.NumberDecimalSeparator = ",";
        german.NumberFormat.NumberGroupSeparator = ".";
        german.NumberFormat.NegativeSign = "\u2212";
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = german;
        try
        {
            Assert.Equal("\u22121,5", (-1.5).ToString(CultureInfo.CurrentCulture));

            _lines.Measurement("m").Field("d", -1234.5).Field("m", -0.003m).Field("n", -12345L);
            _lines.End(-1);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal("m d=-1234.5,m=-0.003,n=-12345i -1\n", Text());
    }

    [Fact]
    public void Fields_that_are_not_finite_are_left_out()
    {
        _lines.Measurement("m").Field("a", double.NaN).Field("b", 1.5).Field("c", double.PositiveInfinity).Field("d", double.NegativeInfinity).Field("e", 2L);
        _lines.End(At);

        Assert.Equal("m b=1.5,e=2i 1740830400000\n", Text());
    }

    [Fact]
    public void A_point_without_a_field_cannot_be_ended()
    {
        _lines.Measurement("m").Tag("t", "v").Field("nan", double.NaN);

        Assert.Throws<InvalidOperationException>(() => _lines.End(At));
    }

    [Fact]
    public void Lines_are_counted_and_clear_starts_over()
    {
        _lines.Measurement("a").Field("f", 1L);
        _lines.End(1);
        _lines.Measurement("b").Field("f", 2L);
        _lines.End(2);

        Assert.Equal(2, _lines.Lines);
        Assert.Equal("a f=1i 1\nb f=2i 2\n", Text());

        _lines.Clear();

        Assert.Equal(0, _lines.Lines);
        Assert.True(_lines.IsEmpty);
        _lines.Measurement("c").Field("f", 3L);
        _lines.End(3);
        Assert.Equal("c f=3i 3\n", Text());
    }

    [Fact]
    public void The_buffer_grows_without_losing_what_was_written()
    {
        using var lines = new LineBuilder(initialBytes: 16);
        var expected = new StringBuilder();

        for (var i = 0; i < 500; i++)
        {
            lines.Measurement("citysense_community").Tag("community", $"c{i}").Field("consumption", i / 1000m).Field("flow_sum", i + 0.25);
            lines.End(At + i);
            expected.Append($"citysense_community,community=c{i} consumption={(i / 1000m).ToString(CultureInfo.InvariantCulture)},flow_sum={(i + 0.25).ToString("R", CultureInfo.InvariantCulture)} {At + i}\n");
        }

        Assert.Equal(500, lines.Lines);
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(lines.Written));
    }

    [Fact]
    public void A_newline_in_a_tag_value_cannot_break_the_point()
    {
        _lines.Measurement("m").Tag("note", "a\nb").Field("f", 1L);
        _lines.End(At);

        Assert.Equal(@"m,note=a\ b f=1i 1740830400000" + "\n", Text());
    }

    [Fact]
    public void A_character_outside_the_basic_plane_is_written_as_utf8()
    {
        _lines.Measurement("m").Tag("icon", "\U0001F4A7").Field("f", 1L);
        _lines.End(At);

        Assert.Equal("m,icon=\U0001F4A7 f=1i 1740830400000\n", Text());
    }

    private string Text() => Encoding.UTF8.GetString(_lines.Written);
}
