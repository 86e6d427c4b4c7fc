using System.Globalization;
using System.Text;
using CitySense.Contracts.History;

namespace CitySense.Api.History;

/// <summary>History as CSV (RFC 4180, invariant culture, one header line): for spreadsheets and the city's BI tools.</summary>
public static class HistoryCsv
{
    public const string ContentType = "text/csv";

    public static string Area(HistoryResponse history)
    {
        var csv = new StringBuilder("level,area,kind,step,start,end,local_start,consumption,consumption_measured,consumption_estimated,readings_accepted,readings_expected,readings_rejected,duplicates,late,flow_mean,flow_max,night_flow_min,quality_score,gaps_estimated,gaps_not_estimated\n");
        foreach (var p in history.Points)
        {
            csv.Append(history.Level).Append(',').Append(history.Area).Append(',').Append(p.Kind).Append(',').Append(history.Step).Append(',')
                .Append(Instant(p.StartMs)).Append(',').Append(Instant(p.EndMs)).Append(',').Append(p.LocalStart).Append(',')
                .Append(Number(p.Consumption)).Append(',').Append(Number(p.Measured)).Append(',').Append(Number(p.Estimated)).Append(',')
                .Append(Number(p.ReadingsAccepted)).Append(',').Append(Number(p.ReadingsExpected)).Append(',').Append(Number(p.Rejected)).Append(',')
                .Append(Number(p.Duplicates)).Append(',').Append(Number(p.Late)).Append(',')
                .Append(Number(p.FlowMean)).Append(',').Append(Number(p.FlowMax)).Append(',').Append(Number(p.NightFlowMin)).Append(',')
                .Append(Number(p.QualityScore)).Append(',').Append(Number(p.GapsEstimated)).Append(',').Append(Number(p.GapsNotEstimated)).Append('\n');
        }

        return csv.ToString();
    }

    public static string Meter(MeterHistoryResponse history)
    {
        var csv = new StringBuilder("device,district,community,kind,step,start,end,local_start,consumption,consumption_estimated\n");
        foreach (var d in history.Days)
        {
            csv.Append(history.Device).Append(',').Append(history.District).Append(',').Append(history.Community).Append(',').Append(history.Kind).Append(',')
                .Append(history.Step).Append(',').Append(Instant(d.StartMs)).Append(',').Append(Instant(d.EndMs)).Append(',').Append(d.LocalStart).Append(',')
                .Append(Number(d.Consumption)).Append(',').Append(Number(d.Estimated)).Append('\n');
        }

        return csv.ToString();
    }

    // Ids are [A-Za-z0-9_.-] and labels are ISO 8601: no field ever needs quoting.
    private static string Instant(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v ? Number(v) : string.Empty;

    private static string Number(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : string.Empty;
}
