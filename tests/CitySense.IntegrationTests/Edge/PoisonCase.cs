using System.Text;
using System.Text.Json.Serialization;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// A message CitySense must refuse, followed on the same connection by a valid reading of another device.
/// <paramref name="Mqtt5Code"/>: the PUBACK reason the embedded broker must give the poison (MQTT 5); null where the
/// device's state decides after decoding and the PUBACK says success.
/// </summary>
public sealed record PoisonCase(string Name, string PoisonTopic, byte[] PoisonPayload, string ValidTopic, string ValidDevice, string ValidPayload, int? Mqtt5Code)
{
    /// <summary>The shape paho_poison.py reads.</summary>
    public object ToScriptInput() => new ScriptCase(Name, PoisonTopic, Convert.ToBase64String(PoisonPayload), ValidTopic, ValidPayload);

    private sealed record ScriptCase(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("poison_topic")] string PoisonTopic,
        [property: JsonPropertyName("poison_payload_b64")] string PoisonPayload,
        [property: JsonPropertyName("valid_topic")] string ValidTopic,
        [property: JsonPropertyName("valid_payload")] string ValidPayload);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
