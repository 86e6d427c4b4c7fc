namespace CitySense.Contracts.Telemetry;

/// <summary>
/// Topics whose latest message another part of the silo keeps itself, so that the embedded broker need not keep a
/// retained copy of each: the broker hands a new subscriber the matching ones as retained messages, as it would its
/// own. The live path keeps every community's latest indicators anyway (for SSE and WebSocket snapshots), serialized
/// in buffers it overwrites; the broker's retained copies were a second, garbage-making store of the same figures
/// (benchmarks/RESULTS.md §56).
/// </summary>
public interface IKeptTopics
{
    /// <summary>
    /// The kept messages whose topics match <paramref name="topicFilter"/> (an MQTT filter, wildcards allowed), as of
    /// this call; their payloads are built as the sequence is read.
    /// </summary>
    IEnumerable<KeptMessage> Matching(string topicFilter);
}
