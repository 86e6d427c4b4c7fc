namespace CitySense.Ingest.Security;

public enum CredentialRole
{
    /// <summary>
    /// A device or a gateway: its scope is exactly one telemetry topic whose last level is its user name
    /// (<c>city/{d}/{c}/{kind}/{device}</c>, or <c>city/{d}/{c}/gateway/{gateway}</c>). It publishes there and nowhere else,
    /// and subscribes to nothing but that topic.
    /// </summary>
    Device,

    /// <summary>
    /// A trusted client (the demo simulator, an integration): its scope is a topic filter such as <c>city/#</c>; it may
    /// publish to any topic the filter matches and subscribe to any filter inside it.
    /// </summary>
    Service,
}
