namespace CitySense.Contracts.Routing;

/// <summary>
/// The one component that owns where readings go and how they add up: device state, then communities, districts and
/// the city. The MQTT edge decodes and hands each batch here; it does not know the hierarchy. One batch at a time.
/// </summary>
public interface IReadingRouter
{
    /// <summary>
    /// Applies the batch. Completes once every area it touched has stored its state, so the batch may be acknowledged;
    /// throws when it could not be applied (then nothing is acknowledged and the publishers or the broker send again;
    /// a repeat is recognised, never counted twice).
    /// </summary>
    Task<RoutingResult> ApplyAsync(IDecodedBatch batch);
}
