using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using MQTTnet.Protocol;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// The MQTT 5 PUBACK (or PUBREC) reason a publisher gets for what CitySense made of its message. MQTT 3.1.1 has no
/// reason codes: its publishers get a plain acknowledgement either way and find the reason in GET /api/rejections.
/// Only codes MQTT 5 allows in a PUBACK (§3.4.2.1) are used.
/// </summary>
public static class PublishOutcome
{
    /// <summary>
    /// The reason code for a message refused as a whole at decoding: 0x90 when its topic is what is wrong (an unknown
    /// shape, or an id that breaks the id rule), 0x99 for everything the payload carries (not JSON, too large, too many
    /// readings, bad values). Refusals are rare, so parsing the topic again here costs the hot path nothing.
    /// </summary>
    public static MqttPubAckReasonCode ForRefused(string topic) =>
        TopicParser.TryParse(topic, out _) != RejectionReason.None
            ? MqttPubAckReasonCode.TopicNameInvalid
            : MqttPubAckReasonCode.PayloadFormatInvalid;

    /// <summary>The reason string of a refused message: the reason's API name and where the detail is.</summary>
    public static string RefusedText(RejectionReason reason) =>
        $"rejected: {RejectionReasons.Name(reason)} (details: GET /api/rejections)";

    /// <summary>The reason string of a gateway message of which some readings were refused; null when none were.</summary>
    public static string? PartialText(in DecodeResult result) => result.Rejected == 0
        ? null
        : $"{result.Rejected} of {result.Accepted + result.Rejected} readings rejected, first: {RejectionReasons.Name(result.FirstRejection)} (details: GET /api/rejections)";
}
