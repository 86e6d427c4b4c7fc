using CitySense.Contracts.Alarms;
using CitySense.Grains.State;

namespace CitySense.Grains.Alarms;

/// <summary>The areas with alarms of the city or of one district (<see cref="IAlarmIndexGrain"/>), written when one is added.</summary>
public sealed class AlarmIndexGrain([PersistentState("index", "alarms")] IPersistentState<AlarmIndexState> store) : Grain, IAlarmIndexGrain
{
    private const string DistrictPrefix = "district/";

    public async Task Add(string child)
    {
        if (store.State.Children.Contains(child, StringComparer.Ordinal))
        {
            return;
        }

        var key = this.GetPrimaryKeyString();
        if (key.StartsWith(DistrictPrefix, StringComparison.Ordinal))
        {
            // The city learns the district first: a district listed there may have no community yet, never the reverse.
            await GrainFactory.GetGrain<IAlarmIndexGrain>(IAlarmIndexGrain.CityKey).Add(key[DistrictPrefix.Length..]);
        }

        store.State.Children = [.. store.State.Children, child];
        await store.WriteStateAsync();
    }

    public Task<string[]> Children() => Task.FromResult(store.State.Children);
}
