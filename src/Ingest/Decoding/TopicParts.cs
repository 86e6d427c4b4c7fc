namespace CitySense.Ingest.Decoding;

/// <summary>The four id segments of a telemetry topic, as ranges into the topic (nothing allocated).</summary>
public readonly record struct TopicParts(Range District, Range Community, Range Kind, Range Leaf, TopicKind Type);
