namespace CitySense.Contracts.Alarms;

/// <summary>
/// One step of an alarm's lifecycle. <see cref="AlarmId"/> is stable over the lifecycle ("{device}/{type}/{startMs}").
/// </summary>
/// <param name="Type">leak, burst, pressure-low, pressure-high, low-delta-t, high-return-temp, gas-leak, smoke, manhole-open, offline.</param>
/// <param name="StartMs">Event time the condition began (Unix ms); for offline alarms, the ingest time of the last reading.</param>
/// <param name="EndMs">Event time it ended, when <see cref="State"/> is Cleared (ingest time for offline alarms).</param>
/// <param name="Peak">The worst value seen while active (unit of the metric the rule watches).</param>
/// <param name="Value">The value that caused this step.</param>
[GenerateSerializer, Immutable]
public sealed record AlarmEvent(
    [property: Id(0)] string AlarmId,
    [property: Id(1)] string Type,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] AlarmState State,
    [property: Id(4)] string District,
    [property: Id(5)] string Community,
    [property: Id(6)] string Kind,
    [property: Id(7)] string Device,
    [property: Id(8)] long StartMs,
    [property: Id(9)] long? EndMs,
    [property: Id(10)] double Peak,
    [property: Id(11)] double Value,
    [property: Id(12)] string Message);
