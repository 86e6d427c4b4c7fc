using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Decoding;

/// <summary>Parses telemetry topics of contract v1 without allocating.</summary>
public static class TopicParser
{
    public const string Root = "city";

    /// <summary>
    /// Returns <see cref="RejectionReason.None"/> and the parts for "city/{district}/{community}/{kind}/{device}";
    /// <see cref="RejectionReason.UnknownTopic"/> for any other shape; <see cref="RejectionReason.InvalidId"/>
    /// when the shape is right but a segment breaks the id rule (wildcards, NUL, spaces, too long...).
    /// </summary>
    public static RejectionReason TryParse(ReadOnlySpan<char> topic, out TopicParts parts)
    {
        parts = default;
        Span<Range> segments = stackalloc Range[6];
        var count = topic.Split(segments, '/');
        if (count != 5 || !topic[segments[0]].SequenceEqual(Root))
        {
            return RejectionReason.UnknownTopic;
        }

        for (var i = 1; i < 5; i++)
        {
            if (!Ids.IsValid(topic[segments[i]]))
            {
                return RejectionReason.InvalidId;
            }
        }

        var type = topic[segments[3]].SequenceEqual(Kinds.Gateway) ? TopicKind.Gateway : TopicKind.Device;
        parts = new TopicParts(segments[1], segments[2], segments[3], segments[4], type);
        return RejectionReason.None;
    }
}
