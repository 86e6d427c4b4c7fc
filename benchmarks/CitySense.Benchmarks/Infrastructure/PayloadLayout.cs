namespace CitySense.Benchmarks.Infrastructure;

/// <summary>How a payload's bytes are laid out in the <see cref="System.Buffers.ReadOnlySequence{T}"/> given to the decoder.</summary>
public enum PayloadLayout
{
    /// <summary>One segment: what MQTTnet hands over for a message read in one piece.</summary>
    SingleSegment,

    /// <summary>64-byte segments: property names, numbers and strings regularly straddle a boundary.</summary>
    MultiSegment64,
}
