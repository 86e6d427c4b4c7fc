using CitySense.Contracts.Subscriptions;

namespace CitySense.Grains.Subscriptions;

/// <summary>One subscription's stored delivery state (grain storage "subscriptions"): its definition, status and queue.</summary>
[GenerateSerializer]
public sealed class SubscriptionState
{
    [Id(0)] public SubscriptionSpec? Spec { get; set; }

    [Id(1)] public SubscriptionStatus Status { get; set; } = SubscriptionStatus.Empty;

    [Id(2)] public EntityChange[] Pending { get; set; } = [];

    [Id(3)] public int InFlight { get; set; }

    [Id(4)] public string? InFlightId { get; set; }

    [Id(5)] public long InFlightNotifiedAtMs { get; set; }

    /// <summary>Numbers the subscription's notifications (their ids).</summary>
    [Id(6)] public long NotificationCount { get; set; }
}
