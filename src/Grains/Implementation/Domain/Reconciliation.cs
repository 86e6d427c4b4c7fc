using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Domain;

/// <summary>
/// How an area squares what a batch carries with its sources' cumulative totals (see <see cref="ConsumptionLedger"/>).
/// Pure logic: the area grains call it right after folding the batch in.
/// </summary>
public static class Reconciliation
{
    /// <summary>
    /// A community: each device's cumulative consumption. Returns the community's totals per kind the batch touched,
    /// for its district and the city.
    /// </summary>
    public static SourceTotal[] ByDevice(string areaKey, IndicatorBatch batch, AreaAggregate aggregate, ConsumptionLedger ledger, IndicatorOptions options)
    {
        List<SourceTotal>? totals = null;
        foreach (var update in batch.Updates)
        {
            if (!update.Accepted || Kinds.RegisterMetric(update.Kind) is null)
            {
                continue;
            }

            // A duplicate or late reading carries no consumption; its device's total is still worth checking.
            decimal counted = 0;
            var window = options.WindowStart(update.ReceivedAtMs);
            if (update.CountsInWindow)
            {
                counted = update.ConsumptionDelta;
                foreach (var correction in update.Corrections)
                {
                    counted += correction.ConsumptionDelta;
                }

                window = update.WindowStartMs;
            }

            aggregate.Reconcile(update.Kind, ledger.Reconcile(update.Device, update.Cumulative, counted, update.CumulativeAtPlace), window);
            ledger.Advance(update.Device, update.Register, update.NewestMs, update.FirstSeenMs);

            totals ??= [];
            var i = totals.FindIndex(t => t.Kind == update.Kind);
            if (i < 0)
            {
                totals.Add(new SourceTotal(areaKey, update.Kind, 0, counted, window));
            }
            else
            {
                totals[i] = totals[i] with { Counted = totals[i].Counted + counted, WindowStartMs = Math.Max(totals[i].WindowStartMs, window) };
            }
        }

        if (totals is null)
        {
            return [];
        }

        var result = new SourceTotal[totals.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = totals[i] with { Total = aggregate.ConsumptionOf(totals[i].Kind) };
        }

        return result;
    }

    /// <summary>A district or the city: each community's total per kind, as the worker passed it along with the batch.</summary>
    public static void BySource(IndicatorBatch batch, AreaAggregate aggregate, ConsumptionLedger ledger)
    {
        foreach (var total in batch.Totals)
        {
            aggregate.Reconcile(total.Kind, ledger.Reconcile(total.Source + "|" + total.Kind, total.Total, total.Counted), total.WindowStartMs);
        }
    }
}
