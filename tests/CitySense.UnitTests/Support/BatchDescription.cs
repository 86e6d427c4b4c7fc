using System.Globalization;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Batches;

namespace CitySense.UnitTests.Support;

/// <summary>A batch written out line by line, so two decodes can be compared whole and a difference reads plainly.</summary>
internal static class BatchDescription
{
    public static IReadOnlyList<string> Of(ReadingBatch batch)
    {
        var lines = new List<string>();
        foreach (var reading in batch.Readings)
        {
            var metrics = string.Join(" ", batch.MetricsOf(reading).ToArray()
                .Select(m => m.Name + "=" + m.Value.ToString("R", CultureInfo.InvariantCulture)));
            var seq = reading.HasSeq ? reading.Seq.ToString(CultureInfo.InvariantCulture) : "-";
            lines.Add($"reading {reading.Address} ts={reading.TimestampMs} seq={seq} at={reading.ReceivedAtMs} {metrics}");
        }

        foreach (var rejection in batch.Rejections)
        {
            lines.Add($"rejection {rejection.District}/{rejection.Community}/{rejection.Kind} {RejectionReasons.Name(rejection.Reason)} at={rejection.ReceivedAtMs}");
        }

        return lines;
    }
}
