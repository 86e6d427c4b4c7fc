using CitySense.Contracts.Telemetry;
using CitySense.Output.LineProtocol;

namespace CitySense.Output.Schema;

/// <summary>
/// The InfluxDB schema CitySense writes, in one place: every measurement, tag and field name, and the shape of every
/// point (docs/influx-schema.md describes the same). Grains and the ingest worker call these methods; none of them
/// spells a name of its own, so a rename or a new field happens here and in the document only.
/// </summary>
public static class InfluxSchema
{
    /// <summary>One point per applied reading when Influx:RawReadings is on.</summary>
    public const string Device = "citysense_device";

    /// <summary>Per-area windows; the area's quality and roster measurements add a suffix.</summary>
    public const string Community = "citysense_community";
    public const string District = "citysense_district";
    public const string City = "citysense_city";

    /// <summary>Alarm raised and cleared events, one point each.</summary>
    public const string Alarm = "citysense_alarm";

    /// <summary>Each meter's consumption per local day (the billing view), one point per meter and day.</summary>
    public const string MeterDaily = "citysense_meter_daily";

    /// <summary>History buckets of an area (docs/history.md): {area measurement}_hourly, _daily, _monthly.</summary>
    public const string HourlySuffix = "_hourly";
    public const string DailySuffix = "_daily";
    public const string MonthlySuffix = "_monthly";

    private const string QualitySuffix = "_quality";
    // "_roster", not "_devices": VictoriaMetrics would name its "reporting" field like the windows' devices_reporting.
    private const string RosterSuffix = "_roster";

    public const string DistrictTag = "district";
    public const string CommunityTag = "community";
    public const string KindTag = "kind";
    public const string DeviceTag = "device";

    /// <summary>The tags that name an area: the district and community of a community, the district of a district, none for the city.</summary>
    public static KeyValuePair<string, string>[] AreaTags(string? district, string? community) =>
        (district, community) switch
        {
            ({ } d, { } c) => [new(DistrictTag, d), new(CommunityTag, c)],
            ({ } d, null) => [new(DistrictTag, d)],
            _ => [],
        };

    /// <summary>A reading as applied: its device's tags and its metrics as fields, at the reading's timestamp.</summary>
    public static void DeviceReading(LineBuilder lines, DeviceAddress address, ReadOnlySpan<MetricSample> metrics, long timestampMs)
    {
        lines.Measurement(Device)
            .Tag(DistrictTag, address.District)
            .Tag(CommunityTag, address.Community)
            .Tag(KindTag, address.Kind)
            .Tag(DeviceTag, address.Device);
        foreach (ref readonly var metric in metrics)
        {
            lines.Field(metric.Name, metric.Value);
        }

        lines.End(timestampMs);
    }

    /// <summary>
    /// Starts an area window point (one per kind and window, timestamped at the window start, so a rewrite replaces it)
    /// with its counts; add <see cref="WindowConsumption"/>, <see cref="WindowFlowSum"/> and <see cref="WindowMetric"/>
    /// as they apply, then end it at the window start.
    /// </summary>
    public static LineBuilder Window(LineBuilder lines, string measurement, ReadOnlySpan<KeyValuePair<string, string>> tags, string kind,
        long accepted, long rejected, long devicesReporting, long devicesTotal, long duplicates, long late) =>
        lines.Measurement(measurement).Tags(tags)
            .Tag(KindTag, kind)
            .Field("accepted", accepted)
            .Field("rejected", rejected)
            .Field("devices_reporting", devicesReporting)
            .Field("devices_total", devicesTotal)
            .Field("duplicates", duplicates)
            .Field("late", late);

    /// <summary>Register kinds: the window's consumption and the register total it reached, in decimal (exact).</summary>
    public static LineBuilder WindowConsumption(LineBuilder lines, decimal consumption, decimal total) =>
        lines.Field("consumption", consumption).Field("consumption_total", total);

    public static LineBuilder WindowFlowSum(LineBuilder lines, double flowSum) => lines.Field("flow_sum", flowSum);

    /// <summary>A metric's five statistics in the window: {metric}_count, _min, _max, _mean, _latest.</summary>
    public static LineBuilder WindowMetric(LineBuilder lines, string metric, long count, double min, double max, double mean, double latest)
    {
        var fields = MetricFieldNames.Of(metric);
        return lines.Field(fields.Count, count)
            .Field(fields.Min, min)
            .Field(fields.Max, max)
            .Field(fields.Mean, mean)
            .Field(fields.Latest, latest);
    }

    /// <summary>Starts an area's data-quality point for a window; add <see cref="QualityLag"/> when known, then end it at the window start.</summary>
    public static LineBuilder Quality(LineBuilder lines, string measurement, ReadOnlySpan<KeyValuePair<string, string>> tags,
        double completeness, double validity, double timeliness, long received, long rejected, long duplicates, long late, long score) =>
        lines.Measurement(measurement + QualitySuffix).Tags(tags)
            .Field("completeness", completeness)
            .Field("validity", validity)
            .Field("timeliness", timeliness)
            .Field("received", received)
            .Field("rejected", rejected)
            .Field("duplicates", duplicates)
            .Field("late", late)
            .Field("score", score);

    public static LineBuilder QualityLag(LineBuilder lines, double p50Ms, double p95Ms) =>
        lines.Field("lag_p50_ms", p50Ms).Field("lag_p95_ms", p95Ms);

    /// <summary>An area's device and alarm counts for a kind, at the time they were found changed.</summary>
    public static void Roster(LineBuilder lines, string measurement, ReadOnlySpan<KeyValuePair<string, string>> tags, string kind,
        long registered, long reporting, long online, long offline, long alarmsActive, long timestampMs) =>
        lines.Measurement(measurement + RosterSuffix).Tags(tags)
            .Tag(KindTag, kind)
            .Field("registered", registered)
            .Field("reporting", reporting)
            .Field("online", online)
            .Field("offline", offline)
            .Field("alarms_active", alarmsActive)
            .End(timestampMs);

    /// <summary>
    /// An alarm event: raised at its start, cleared (with its duration) at its end, so both land as separate points.
    /// </summary>
    public static void AlarmEvent(LineBuilder lines, string district, string community, string kind, string device, string type, string severity,
        string state, string alarmId, double value, double peak, long startMs, long? endMs)
    {
        lines.Measurement(Alarm)
            .Tag(DistrictTag, district)
            .Tag(CommunityTag, community)
            .Tag(KindTag, kind)
            .Tag(DeviceTag, device)
            .Tag("type", type)
            .Tag("severity", severity)
            .Field("state", state)
            .Field("alarm_id", alarmId)
            .Field("value", value)
            .Field("peak", peak)
            .Field("start_ms", startMs);
        if (endMs is { } end)
        {
            lines.Field("duration_s", (end - startMs) / 1000.0);
        }

        lines.End(endMs ?? startMs);
    }

    /// <summary>
    /// A history bucket of an area and kind, timestamped at the bucket's start (the UTC instant of the local hour, day or
    /// month start), so a later push's fuller figures replace the point.
    /// </summary>
    public static void HistoryBucket(LineBuilder lines, string measurement, string stepSuffix, ReadOnlySpan<KeyValuePair<string, string>> tags, string kind,
        decimal measured, decimal estimated, long accepted, double expected, long rejected, double? flowMean, double? flowMax, double? nightFlowMin,
        long? qualityScore, long startMs)
    {
        lines.Measurement(measurement + stepSuffix).Tags(tags)
            .Tag(KindTag, kind)
            .Field("consumption", measured + estimated)
            .Field("consumption_measured", measured)
            .Field("consumption_estimated", estimated)
            .Field("readings_accepted", accepted)
            .Field("readings_expected", expected)
            .Field("readings_rejected", rejected);
        if (flowMean is { } mean)
        {
            lines.Field("flow_mean", mean).Field("flow_max", flowMax!.Value);
        }

        if (nightFlowMin is { } night)
        {
            lines.Field("night_flow_min", night);
        }

        if (qualityScore is { } score)
        {
            lines.Field("quality_score", score);
        }

        lines.End(startMs);
    }

    /// <summary>A meter's consumption in one local day, at the day's start.</summary>
    public static void MeterDay(LineBuilder lines, string district, string community, string device, decimal consumption, decimal estimated, long dayStartMs) =>
        lines.Measurement(MeterDaily)
            .Tag(DistrictTag, district)
            .Tag(CommunityTag, community)
            .Tag(DeviceTag, device)
            .Field("consumption", consumption)
            .Field("consumption_estimated", estimated)
            .End(dayStartMs);
}
