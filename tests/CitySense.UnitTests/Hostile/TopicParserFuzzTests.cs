using System.Text.RegularExpressions;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CsCheck;

namespace CitySense.UnitTests.Hostile;

/// <summary>The topic parser against a plain reference of the contract's topic rule, on generated topics.</summary>
[Collection(HostileCollection.Name)]
public sealed partial class TopicParserFuzzTests
{
    private static readonly Gen<string> Level = Gen.Frequency(
        (4, Gen.String[Gen.Char["abcXYZ019_.-"], 1, 8]),
        (3, Gen.String[Gen.Char["ab+#\0 \u00e9\u202e\uffff-._"], 0, 10]),
        (1, Gen.OneOf(Gen.Const("gateway"), Gen.Const(new string('w', 64)), Gen.Const(new string('w', 65)), Gen.Const(string.Empty))));

    private static readonly Gen<string> Topic = Gen.Frequency(
        (4, Level.Array[0, 7].Select(levels => "city/" + string.Join('/', levels))),
        (1, Level.Array[1, 7].Select(levels => string.Join('/', levels))),
        (1, Gen.String[Gen.Char["city/+#\0ab"], 0, 40]));

    [Fact]
    public void Any_topic_is_parsed_exactly_as_the_contracts_rule_says_and_never_throws()
    {
        Topic.Sample(topic =>
        {
            var reason = TopicParser.TryParse(topic, out var parts);

            var levels = topic.Split('/');
            var expected = levels.Length != 5 || levels[0] != "city" ? RejectionReason.UnknownTopic
                : levels.Skip(1).All(l => IdRule().IsMatch(l)) ? RejectionReason.None
                : RejectionReason.InvalidId;
            Assert.Equal(expected, reason);
            if (reason == RejectionReason.None)
            {
                Assert.Equal(levels[1..], new[] { topic[parts.District], topic[parts.Community], topic[parts.Kind], topic[parts.Leaf] });
                Assert.Equal(levels[3] == "gateway" ? TopicKind.Gateway : TopicKind.Device, parts.Type);
            }
        }, iter: 5_000, threads: 1, print: Printable);
    }

    internal static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || c > 126 ? $"\\u{(int)c:x4}" : c.ToString()));

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex IdRule();
}
