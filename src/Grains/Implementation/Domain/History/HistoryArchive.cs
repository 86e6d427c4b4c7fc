using System.Globalization;
using CitySense.Contracts.History;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.History;

/// <summary>
/// An area's stored history: one record per local day holding its hours, one per local month holding its days and the
/// month's totals, and for a community one per month holding its meters' days. A push merges what the area folded since
/// the last one into the records it touches, each guarded by the push's sequence number, so a push retried after a
/// failure changes nothing twice. Queries read the records in range and add what is still pending. Pure logic over
/// <see cref="IHistoryRecords"/>.
/// </summary>
public sealed class HistoryArchive(string area, IHistoryRecords records, LocalCalendar calendar, HistoryOptions options)
{
    /// <summary>Merges <paramref name="pending"/> into the records, prunes records past their retention, and marks it pushed.</summary>
    public async Task<HistoryWritten> PushAsync(PendingHistory pending, long nowMs)
    {
        var written = new HistoryWritten();
        var sequence = pending.Sequence;
        foreach (var day in pending.Hours.GroupBy(h => calendar.Day(h.Key.HourMs)).OrderBy(g => g.Key))
        {
            var id = DayId(day.Key);
            var record = await records.ReadHistory(id) ?? new HistoryRecord();
            if (record.AppliedSequence >= sequence)
            {
                continue;
            }

            foreach (var (key, figures) in day)
            {
                var bucket = Merge(record.Buckets, key.Kind, key.HourMs, figures);
                written.Buckets.Add((HistoryStep.Hour, bucket));
            }

            record.AppliedSequence = sequence;
            await records.WriteHistory(id, record);
        }

        foreach (var month in pending.Hours.GroupBy(h => LocalCalendar.MonthKey(calendar.Day(h.Key.HourMs))).OrderBy(g => g.Key))
        {
            var id = MonthId(month.Key);
            var record = await records.ReadHistory(id) ?? new HistoryRecord();
            if (record.AppliedSequence >= sequence)
            {
                continue;
            }

            var monthStart = calendar.MonthStart(month.Key);
            foreach (var (key, figures) in month)
            {
                var day = Merge(record.Buckets, key.Kind, calendar.DayStart(calendar.Day(key.HourMs)), figures);
                var total = Merge(record.Totals, key.Kind, monthStart, figures);
                AddOnce(written, HistoryStep.Day, day);
                AddOnce(written, HistoryStep.Month, total);
            }

            record.AppliedSequence = sequence;
            await records.WriteHistory(id, record);
        }

        foreach (var month in pending.Meters.GroupBy(m => LocalCalendar.MonthKey(DateOnly.FromDayNumber(m.Key.Day))).OrderBy(g => g.Key))
        {
            var id = MeterId(month.Key);
            var record = await records.ReadMeters(id) ?? new MeterRecord();
            if (record.AppliedSequence >= sequence)
            {
                continue;
            }

            foreach (var (key, (measured, estimated)) in month)
            {
                var index = DateOnly.FromDayNumber(key.Day).Day - 1;
                var m = Days(record.Measured, key.Device);
                var e = Days(record.Estimated, key.Device);
                m[index] += measured;
                e[index] += estimated;
                written.Meters.Add((key.Device, calendar.DayStart(DateOnly.FromDayNumber(key.Day)), m[index], e[index]));
            }

            record.AppliedSequence = sequence;
            await records.WriteMeters(id, record);
        }

        await PruneAsync(pending, nowMs);
        pending.Pushed();
        return written;
    }

    /// <summary>The buckets of the query, stored and pending together, ordered by kind and start.</summary>
    public async Task<HistoryPoint[]> QueryAsync(HistoryQuery query, PendingHistory pending)
    {
        var buckets = new Dictionary<(string Kind, long StartMs), HistoryFigures>();
        var firstDay = calendar.Day(query.FromMs);
        var lastDay = calendar.Day(query.ToMs - 1);
        if (query.Step == HistoryStep.Hour)
        {
            for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
            {
                if (await records.ReadHistory(DayId(day)) is { } record)
                {
                    Collect(buckets, record.Buckets, query);
                }
            }
        }
        else
        {
            for (var month = LocalCalendar.MonthKey(firstDay); month <= LocalCalendar.MonthKey(lastDay); month++)
            {
                if (await records.ReadHistory(MonthId(month)) is { } record)
                {
                    Collect(buckets, query.Step == HistoryStep.Day ? record.Buckets : record.Totals, query);
                }
            }
        }

        foreach (var ((kind, hourMs), figures) in pending.Hours)
        {
            var start = BucketStart(query.Step, hourMs);
            if (Wanted(query, kind, start))
            {
                Add(buckets, kind, start, figures);
            }
        }

        return buckets.OrderBy(b => b.Key.Kind, StringComparer.Ordinal).ThenBy(b => b.Key.StartMs)
            .Select(b => Point(query.Step, b.Key.Kind, b.Key.StartMs, b.Value))
            .ToArray();
    }

    /// <summary>One meter's days (or months) in range, stored and pending together; empty when it consumed nothing there.</summary>
    public async Task<MeterDay[]> QueryMeterAsync(string device, HistoryQuery query, PendingHistory pending)
    {
        var days = new SortedDictionary<int, (decimal Measured, decimal Estimated)>();
        var firstDay = calendar.Day(query.FromMs);
        var lastDay = calendar.Day(query.ToMs - 1);
        for (var month = LocalCalendar.MonthKey(firstDay); month <= LocalCalendar.MonthKey(lastDay); month++)
        {
            if (await records.ReadMeters(MeterId(month)) is not { } record)
            {
                continue;
            }

            var first = LocalCalendar.MonthFirstDay(month);
            record.Measured.TryGetValue(device, out var measured);
            record.Estimated.TryGetValue(device, out var estimated);
            for (var i = 0; i < 31; i++)
            {
                var m = measured is not null && i < measured.Length ? measured[i] : 0;
                var e = estimated is not null && i < estimated.Length ? estimated[i] : 0;
                if (m != 0 || e != 0)
                {
                    AddDay(days, first.AddDays(i).DayNumber, m, e);
                }
            }
        }

        foreach (var ((d, day), (measured, estimated)) in pending.Meters)
        {
            if (d == device)
            {
                AddDay(days, day, measured, estimated);
            }
        }

        var rows = new SortedDictionary<long, (long EndMs, decimal Measured, decimal Estimated)>();
        foreach (var (dayNumber, (measured, estimated)) in days)
        {
            var day = DateOnly.FromDayNumber(dayNumber);
            var (start, end) = query.Step == HistoryStep.Month
                ? (calendar.MonthStart(LocalCalendar.MonthKey(day)), calendar.MonthEnd(LocalCalendar.MonthKey(day)))
                : (calendar.DayStart(day), calendar.DayEnd(day));
            if (start >= query.ToMs || end <= query.FromMs)
            {
                continue;
            }

            rows.TryGetValue(start, out var row);
            rows[start] = (end, row.Measured + measured, row.Estimated + estimated);
        }

        return rows.Select(r => new MeterDay(device, r.Key, r.Value.EndMs, calendar.Label(r.Key), r.Value.Measured + r.Value.Estimated, r.Value.Estimated)).ToArray();
    }

    /// <summary>The start of the bucket of <paramref name="step"/> that holds the local hour starting at <paramref name="hourMs"/>.</summary>
    public long BucketStart(HistoryStep step, long hourMs) => step switch
    {
        HistoryStep.Hour => hourMs,
        HistoryStep.Day => calendar.DayStart(calendar.Day(hourMs)),
        _ => calendar.MonthStart(LocalCalendar.MonthKey(calendar.Day(hourMs))),
    };

    public long BucketEnd(HistoryStep step, long startMs) => step switch
    {
        HistoryStep.Hour => startMs + LocalCalendar.HourMs,
        HistoryStep.Day => calendar.DayEnd(calendar.Day(startMs)),
        _ => calendar.MonthEnd(LocalCalendar.MonthKey(calendar.Day(startMs))),
    };

    private HistoryPoint Point(HistoryStep step, string kind, long startMs, HistoryFigures f) =>
        new(kind, startMs, BucketEnd(step, startMs), calendar.Label(startMs), f.Measured + f.Estimated, f.Measured, f.Estimated, f.Accepted,
            Math.Round(f.Expected, 3), Round(f.FlowSamples > 0 ? f.FlowTotal / f.FlowSamples : null), Round(f.FlowMax), Round(f.NightFlowMin),
            HistoryQuality.Score(f))
        {
            Rejected = f.Rejected,
            Duplicates = f.Duplicates,
            Late = f.Late,
            GapsEstimated = f.GapsEstimated,
            GapsNotEstimated = f.GapsNotEstimated,
            Suspects = f.Suspects,
        };

    /// <summary>Flows are sums of many doubles: a micro-m³/h is finer than any meter, and 153.99000000000012 helps nobody.</summary>
    private static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;

    /// <summary>Deletes records past their retention, from where the last prune stopped (bounded: a day or month at a time).</summary>
    private async Task PruneAsync(PendingHistory pending, long nowMs)
    {
        var today = calendar.Day(nowMs);
        var hoursCutoff = today.AddDays(-(int)Math.Ceiling(options.HoursKept.TotalDays) - 1);
        var monthsCutoff = LocalCalendar.MonthKey(today) - options.MonthsKept - 1;
        var metersCutoff = LocalCalendar.MonthKey(today) - MeterMonthsKept - 1;
        if (pending.PrunedThroughDay == 0)
        {
            // First push of this area: nothing older can exist.
            pending.PrunedThroughDay = hoursCutoff.DayNumber;
            pending.PrunedThroughMonth = monthsCutoff;
            pending.PrunedThroughMeters = metersCutoff;
            return;
        }

        for (var day = DateOnly.FromDayNumber(pending.PrunedThroughDay + 1); day <= hoursCutoff; day = day.AddDays(1))
        {
            await records.DeleteHistory(DayId(day));
            pending.PrunedThroughDay = day.DayNumber;
        }

        for (var month = pending.PrunedThroughMonth + 1; month <= monthsCutoff; month++)
        {
            await records.DeleteHistory(MonthId(month));
            pending.PrunedThroughMonth = month;
        }

        for (var month = pending.PrunedThroughMeters + 1; month <= metersCutoff; month++)
        {
            await records.DeleteMeters(MeterId(month));
            pending.PrunedThroughMeters = month;
        }
    }

    /// <summary>Meters' daily consumption is kept 14 months (more than 400 days: a year of bills and the year before's same month).</summary>
    private const int MeterMonthsKept = 14;

    private string DayId(DateOnly day) => area + "/h/" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string MonthId(int month) => area + "/m/" + LocalCalendar.MonthFirstDay(month).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private string MeterId(int month) => area + "/meters/" + LocalCalendar.MonthFirstDay(month).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>A bucket is in a query when it overlaps [from, to): "the last 24 hours" by day gives yesterday and today.</summary>
    private bool Wanted(HistoryQuery query, string kind, long startMs) =>
        startMs < query.ToMs && BucketEnd(query.Step, startMs) > query.FromMs && (query.Kind is null || query.Kind == kind);

    private void Collect(Dictionary<(string, long), HistoryFigures> into, List<HistoryBucket> buckets, HistoryQuery query)
    {
        foreach (var bucket in buckets)
        {
            if (Wanted(query, bucket.Kind, bucket.StartMs))
            {
                Add(into, bucket.Kind, bucket.StartMs, bucket.Figures);
            }
        }
    }

    private static void Add(Dictionary<(string, long), HistoryFigures> into, string kind, long startMs, HistoryFigures figures)
    {
        if (!into.TryGetValue((kind, startMs), out var sum))
        {
            into[(kind, startMs)] = sum = new HistoryFigures();
        }

        sum.Add(figures);
    }

    private static void AddDay(SortedDictionary<int, (decimal, decimal)> days, int day, decimal measured, decimal estimated)
    {
        days.TryGetValue(day, out var sum);
        days[day] = (sum.Item1 + measured, sum.Item2 + estimated);
    }

    private static HistoryBucket Merge(List<HistoryBucket> buckets, string kind, long startMs, HistoryFigures figures)
    {
        var bucket = buckets.Find(b => b.StartMs == startMs && b.Kind == kind);
        if (bucket is null)
        {
            bucket = new HistoryBucket { Kind = kind, StartMs = startMs };
            buckets.Add(bucket);
        }

        bucket.Figures.Add(figures);
        return bucket;
    }

    private static void AddOnce(HistoryWritten written, HistoryStep step, HistoryBucket bucket)
    {
        if (!written.Buckets.Exists(b => ReferenceEquals(b.Bucket, bucket)))
        {
            written.Buckets.Add((step, bucket));
        }
    }

    private static decimal[] Days(Dictionary<string, decimal[]> byDevice, string device)
    {
        if (!byDevice.TryGetValue(device, out var days))
        {
            byDevice[device] = days = new decimal[31];
        }

        return days;
    }
}
