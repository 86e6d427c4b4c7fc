namespace CitySense.Ingest.Decoding;

public enum TopicKind : byte
{
    /// <summary>city/{district}/{community}/{kind}/{device}: one device, payload is one JSON object.</summary>
    Device,
    /// <summary>city/{district}/{community}/gateway/{gateway}: payload is a JSON array of readings that name device and kind.</summary>
    Gateway,
}
