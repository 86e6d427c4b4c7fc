using CitySense.Contracts.Subscriptions;

namespace CitySense.Grains.Subscriptions;

/// <summary>
/// The definitions of all subscriptions, stored on every change before it is answered: a subscription the API confirmed
/// survives any restart. Each change is also pushed to the subscription's own grain, which delivers.
/// </summary>
public sealed class SubscriptionRegistryGrain(
    [PersistentState("subscription-registry", SubscriptionStorage.Name)] IPersistentState<RegistryState> store) : Grain, ISubscriptionRegistryGrain
{
    private readonly Dictionary<string, SubscriptionSpec> _byId = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var spec in store.State.Subscriptions)
        {
            _byId[spec.Id] = spec;
        }

        return Task.CompletedTask;
    }

    public Task<SubscriptionSpec?> Get(string id) => Task.FromResult(_byId.GetValueOrDefault(id));

    public Task<SubscriptionSpec[]> List() => Task.FromResult(store.State.Subscriptions);

    public Task<long> GetVersion() => Task.FromResult(store.State.Version);

    public async Task<bool> Put(SubscriptionSpec spec, bool replace)
    {
        if (!replace && _byId.ContainsKey(spec.Id))
        {
            return false;
        }

        _byId[spec.Id] = spec;
        await SaveAsync();
        await GrainFactory.GetGrain<ISubscriptionGrain>(spec.Id).Configure(spec);
        return true;
    }

    public async Task<bool> Remove(string id)
    {
        if (!_byId.Remove(id))
        {
            return false;
        }

        await SaveAsync();
        await GrainFactory.GetGrain<ISubscriptionGrain>(id).Configure(null);
        return true;
    }

    private Task SaveAsync()
    {
        store.State.Subscriptions = _byId.Values.OrderBy(s => s.CreatedAtMs).ThenBy(s => s.Id, StringComparer.Ordinal).ToArray();
        store.State.Version++;
        return store.WriteStateAsync();
    }
}
