using CitySense.Contracts.Vee;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// A community's suspect readings: those held for an operator, and the most recent decisions with who made them (the
/// audit trail, kept with the community's state). Pure logic: the community grain wraps it.
/// </summary>
public sealed class SuspectBook
{
    /// <summary>Decisions kept (newest first): the audit trail travels with the community's state, so it is bounded.</summary>
    public const int DecidedKept = 500;

    /// <summary>
    /// Held readings kept per community: a meter stuck on implausible values cannot grow the state without bound. Past
    /// this, the oldest held reading is rejected by the system, recorded like an operator's decision.
    /// </summary>
    public const int HeldKept = 1000;

    public const string System = "system";

    private readonly List<SuspectReading> _held = [];
    private readonly LinkedList<SuspectReading> _decided = new();

    public IReadOnlyList<SuspectReading> Held => _held;

    public IEnumerable<SuspectReading> Decided => _decided;

    /// <summary>Holds a suspect reading (a redelivered one is held once).</summary>
    public void Hold(SuspectReading suspect, long nowMs)
    {
        if (Find(suspect.Device, suspect.TimestampMs) is not null)
        {
            return;
        }

        _held.Add(suspect);
        if (_held.Count > HeldKept)
        {
            Decide(_held[0] with
            {
                State = SuspectState.Rejected,
                DecidedBy = System,
                DecidedAtMs = nowMs,
                Comment = $"more than {HeldKept} readings held in the community: the oldest is rejected",
                Counted = 0,
            });
        }
    }

    public SuspectReading? Find(string device, long timestampMs) =>
        _held.Find(s => s.Device == device && s.TimestampMs == timestampMs)
        ?? _decided.FirstOrDefault(s => s.Device == device && s.TimestampMs == timestampMs);

    /// <summary>Records a decision on a held reading; false when it is not held (decided already, or unknown).</summary>
    public bool Decide(SuspectReading decided)
    {
        var index = _held.FindIndex(s => s.Device == decided.Device && s.TimestampMs == decided.TimestampMs);
        if (index < 0)
        {
            return false;
        }

        _held.RemoveAt(index);
        _decided.AddFirst(decided);
        while (_decided.Count > DecidedKept)
        {
            _decided.RemoveLast();
        }

        return true;
    }

    /// <summary>Held readings first (oldest first), then decisions (newest first); of one device, or all.</summary>
    public SuspectReading[] Of(string? device) =>
        _held.Concat(_decided).Where(s => device is null || s.Device == device).ToArray();

    public void Restore(IEnumerable<SuspectReading> held, IEnumerable<SuspectReading> decided)
    {
        _held.Clear();
        _held.AddRange(held);
        _decided.Clear();
        foreach (var d in decided)
        {
            _decided.AddLast(d);
        }
    }
}
