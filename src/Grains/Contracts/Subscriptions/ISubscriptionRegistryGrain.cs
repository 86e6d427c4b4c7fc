namespace CitySense.Contracts.Subscriptions;

/// <summary>
/// Every subscription's definition, in one grain (key <see cref="Key"/>): the API's source of truth and what each silo's
/// matcher copies. Subscriptions change rarely and are few (thousands), so one grain and one stored record suffice.
/// </summary>
public interface ISubscriptionRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    Task<SubscriptionSpec?> Get(string id);

    Task<SubscriptionSpec[]> List();

    /// <summary>Increases with every change: a matcher reloads the list when it moved.</summary>
    Task<long> GetVersion();

    /// <summary>Creates (false when the id exists and <paramref name="replace"/> is false) or replaces one.</summary>
    Task<bool> Put(SubscriptionSpec spec, bool replace);

    Task<bool> Remove(string id);
}
