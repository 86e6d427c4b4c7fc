using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Routing;

/// <summary>
/// What the MQTT edge hands over: readings decoded from many messages, in arrival order, and the rejected readings
/// whose community is known (they count in its indicators). The metrics of all readings share one buffer, so a batch
/// allocates nothing per reading; read them with <see cref="MetricsOf"/>.
/// </summary>
public interface IDecodedBatch
{
    ReadOnlySpan<DecodedReading> Readings { get; }

    ReadOnlySpan<MetricSample> MetricsOf(in DecodedReading reading);

    IReadOnlyList<DecodedRejection> Rejections { get; }
}
