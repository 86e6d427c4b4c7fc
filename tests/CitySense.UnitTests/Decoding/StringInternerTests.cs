using System.Text;
using CitySense.Ingest.Decoding;

namespace CitySense.UnitTests.Decoding;

public sealed class StringInternerTests
{
    [Fact]
    public void Equal_ids_from_chars_and_from_ascii_bytes_share_one_instance()
    {
        var interner = new StringInterner();

        var fromChars = interner.Intern("meter-7".AsSpan());
        var fromBytes = interner.InternAscii("meter-7"u8);
        var again = interner.Intern(new StringBuilder("meter-").Append('7').ToString());

        Assert.Equal("meter-7", fromChars);
        Assert.Same(fromChars, fromBytes);
        Assert.Same(fromChars, again);
        Assert.Equal(1, interner.Count);
    }

    [Fact]
    public void An_id_of_the_longest_valid_length_is_interned_from_bytes()
    {
        var interner = new StringInterner();
        var id = new string('x', 64);

        Assert.Equal(id, interner.InternAscii(Encoding.ASCII.GetBytes(id)));
    }

    [Fact]
    public void Past_its_capacity_new_ids_are_returned_but_not_kept()
    {
        var interner = new StringInterner(capacity: 1);
        var kept = interner.Intern("a");

        var first = interner.Intern("b");
        var second = interner.Intern("b");

        Assert.Equal("b", first);
        Assert.NotSame(first, second);
        Assert.Same(kept, interner.Intern("a"));
        Assert.Equal(1, interner.Count);
    }
}
