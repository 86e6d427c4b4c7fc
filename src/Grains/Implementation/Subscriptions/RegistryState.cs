using CitySense.Contracts.Subscriptions;

namespace CitySense.Grains.Subscriptions;

/// <summary>Every subscription's definition (grain storage "subscriptions", one record).</summary>
[GenerateSerializer]
public sealed class RegistryState
{
    [Id(0)] public SubscriptionSpec[] Subscriptions { get; set; } = [];

    [Id(1)] public long Version { get; set; }
}
