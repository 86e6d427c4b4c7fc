using CitySense.Contracts.Vee;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// A community's suspect readings: those held for an operator, and the most recent decisions with who made them (the
/// audit trail, kept with the community's state). Pure logic: the community grain wraps it.
/// </summary>
public sealed class SuspectBook(int heldKept = SuspectBook.DefaultHeldKept, int decidedKept = SuspectBook.DefaultDecidedKept)
{
    /// <summary>
    /// Held readings kept per community by default (Vee:HeldKept): a meter stuck on implausible values, or a city whose
    /// operators decide nothing, cannot grow the state without bound. Past this, the oldest held reading is rejected by
    /// the system, recorded like an operator's decision. 1 000 a community, with 500 decisions, were up to 7.5 million
    /// readings at 5 000 communities (about 260 bytes each in a heap dump, benchmarks/RESULTS.md §60); 50 and 20 are at
    /// most 350 000.
    /// </summary>
    public const int DefaultHeldKept = 50;

    /// <summary>Decisions kept by default (Vee:DecidedKept, newest first): the audit trail travels with the community's state.</summary>
    public const int DefaultDecidedKept = 20;

    public const string System = "system";

    private readonly int _heldKept = Math.Max(1, heldKept);
    private readonly int _decidedKept = Math.Max(1, decidedKept);
    // One string for every reading the bound rejects, not one each.
    private readonly string _rejectedBySystemComment = $"more than {Math.Max(1, heldKept)} readings held in the community (Vee:HeldKept): the oldest is rejected";

    private readonly List<SuspectReading> _held = [];
    private readonly LinkedList<SuspectReading> _decided = new();

    // Every reading of a device's batch asks whether it is already held (a redelivery), so lookups are by key, not a scan of
    // up to Vee:HeldKept + Vee:DecidedKept entries.
    private readonly Dictionary<(string Device, long TimestampMs), SuspectReading> _heldByKey = [];
    private readonly Dictionary<(string Device, long TimestampMs), LinkedListNode<SuspectReading>> _decidedByKey = [];

    public IReadOnlyList<SuspectReading> Held => _held;

    public IEnumerable<SuspectReading> Decided => _decided;

    /// <summary>
    /// Holds a suspect reading (a redelivered one is held once). A confirmation (<see cref="SuspectReading.IsConfirmation"/>)
    /// marks the held reading's level as confirmed and holds nothing new: one of a reading decided meanwhile, or no
    /// longer kept, changes nothing. Returns how many held readings the bound rejected to make room (for the silo's
    /// metrics): 0 unless the book was full.
    /// </summary>
    public int Hold(SuspectReading suspect, long nowMs)
    {
        if (suspect.IsConfirmation)
        {
            Confirm(suspect);
            return 0;
        }

        if (Find(suspect.Device, suspect.TimestampMs) is not null)
        {
            return 0;
        }

        _held.Add(suspect);
        _heldByKey[(suspect.Device, suspect.TimestampMs)] = suspect;
        // A loop, not a test: a community restored with more than a lowered setting comes down to it here.
        var rejected = 0;
        while (_held.Count > _heldKept)
        {
            Decide(_held[0] with
            {
                State = SuspectState.Rejected,
                DecidedBy = System,
                DecidedAtMs = nowMs,
                Comment = _rejectedBySystemComment,
                Counted = 0,
            });
            rejected++;
        }

        return rejected;
    }

    private void Confirm(SuspectReading confirmation)
    {
        var key = (confirmation.Device, confirmation.TimestampMs);
        if (!_heldByKey.TryGetValue(key, out var held) || held.LevelConfirmedAtMs is not null)
        {
            return;
        }

        var confirmed = held with { LevelConfirmedAtMs = confirmation.LevelConfirmedAtMs };
        _held[_held.IndexOf(held)] = confirmed;
        _heldByKey[key] = confirmed;
    }

    public SuspectReading? Find(string device, long timestampMs) =>
        _heldByKey.TryGetValue((device, timestampMs), out var held) ? held
        : _decidedByKey.TryGetValue((device, timestampMs), out var decided) ? decided.Value
        : null;

    /// <summary>Records a decision on a held reading; false when it is not held (decided already, or unknown).</summary>
    public bool Decide(SuspectReading decided)
    {
        if (!_heldByKey.Remove((decided.Device, decided.TimestampMs), out var held))
        {
            return false;
        }

        _held.Remove(held);
        AddDecided(decided, first: true);
        while (_decided.Count > _decidedKept)
        {
            _decidedByKey.Remove((_decided.Last!.Value.Device, _decided.Last.Value.TimestampMs));
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
        _heldByKey.Clear();
        foreach (var h in held)
        {
            _held.Add(h);
            _heldByKey[(h.Device, h.TimestampMs)] = h;
        }

        _decided.Clear();
        _decidedByKey.Clear();
        foreach (var d in decided)
        {
            AddDecided(d, first: false);
        }
    }

    private void AddDecided(SuspectReading decided, bool first)
    {
        // A reading decided twice (a restored duplicate) keeps its newest record only.
        if (_decidedByKey.Remove((decided.Device, decided.TimestampMs), out var earlier))
        {
            _decided.Remove(earlier);
        }

        _decidedByKey[(decided.Device, decided.TimestampMs)] = first ? _decided.AddFirst(decided) : _decided.AddLast(decided);
    }
}
