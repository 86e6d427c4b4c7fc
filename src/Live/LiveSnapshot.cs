using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;

namespace CitySense.Live;

/// <summary>
/// What a new subscriber gets first: the latest figures of every area and kind its filter selects and the active
/// alarms on the operators' list with their workflow, exactly as of <see cref="Seq"/>. Every live message it gets afterwards is newer, for every area and kind.
/// </summary>
public sealed record LiveSnapshot(long Seq, IReadOnlyList<IndicatorUpdate> Figures, IReadOnlyList<AlarmUpdate> ActiveAlarms);
