namespace CitySense.Grains.Subscriptions;

/// <summary>The grain storage subscriptions are kept in: files under the data folder on a single node, Redis in a cluster.</summary>
public static class SubscriptionStorage
{
    public const string Name = "subscriptions";
}
