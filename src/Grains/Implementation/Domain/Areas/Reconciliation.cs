using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.History;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// How an area squares what a batch carries with its sources' cumulative totals (see <see cref="ConsumptionLedger"/>).
/// Pure logic: the area grains call it right after folding the batch in.
/// </summary>
public static class Reconciliation
{
    /// <summary>
    /// A community: each device's cumulative consumption. Returns the community's totals per kind the batch touched,
    /// for its district and the city. Each device's share (counted and squared) goes to its meter days in the pending
    /// history, so a meter's days add up to what the community counted of it.
    /// </summary>
    public static SourceTotal[] ByDevice(string areaKey, IndicatorBatch batch, AreaAggregate aggregate, ConsumptionLedger ledger, IndicatorOptions options, long version = 0)
    {
        var history = aggregate.History;
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
                history?.Meter(update.Device, update.TimestampMs, update.ConsumptionDelta, (update.Flags & DeviceUpdateFlags.Estimated) != 0);
                foreach (var correction in update.Corrections)
                {
                    counted += correction.ConsumptionDelta;
                    history?.Meter(update.Device, correction.WindowStartMs, correction.ConsumptionDelta, correction.Estimated);
                }

                window = update.WindowStartMs;
            }

            var change = ledger.Reconcile(update.Device, update.Cumulative, counted, update.CumulativeAtPlace, update.Register, update.NewestMs, update.FirstSeenMs, flow: null);
            aggregate.Reconcile(update.Kind, change, window);
            history?.Meter(update.Device, window, change, estimated: false);
            if (update.CurrentFlow is { } flow)
            {
                // The device's latest flow, versioned by its newest reading: a flow change lost with a batch (or one
                // redelivered) is squared here, once.
                aggregate.AdjustFlow(update.Kind, ledger.ReconcileFlow(update.Device, flow, update.FlowDelta, update.NewestMs));
            }

            totals ??= [];
            var i = 0;
            while (i < totals.Count && totals[i].Kind != update.Kind)
            {
                i++;
            }

            if (i == totals.Count)
            {
                totals.Add(new SourceTotal(areaKey, update.Kind, 0, counted, window) { CountedFlow = update.FlowDelta });
            }
            else
            {
                totals[i] = totals[i] with
                {
                    Counted = totals[i].Counted + counted,
                    WindowStartMs = Math.Max(totals[i].WindowStartMs, window),
                    CountedFlow = totals[i].CountedFlow + update.FlowDelta,
                };
            }
        }

        if (totals is null)
        {
            return [];
        }

        var result = new SourceTotal[totals.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = totals[i] with { Total = aggregate.ConsumptionOf(totals[i].Kind), FlowSum = aggregate.FlowSumOf(totals[i].Kind), Version = version };
        }

        return result;
    }

    /// <summary>A district or the city: each community's total per kind, as the worker passed it along with the batch.</summary>
    public static void BySource(IndicatorBatch batch, AreaAggregate aggregate, ConsumptionLedger ledger)
    {
        foreach (var total in batch.Totals)
        {
            var key = total.Source + "|" + total.Kind;
            aggregate.Reconcile(total.Kind, ledger.Reconcile(key, total.Total, total.Counted), total.WindowStartMs);
            // Flow sums are absolute too: a batch lost or applied twice between the levels leaves no lasting error.
            aggregate.AdjustFlow(total.Kind, ledger.ReconcileFlow(key, total.FlowSum, total.CountedFlow, total.Version));
        }
    }
}
