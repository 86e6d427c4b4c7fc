namespace CitySense.Contracts.Subscriptions;

/// <summary>
/// How delivery to one subscription's endpoint goes (NGSI-LD's notification status, plus the queue): what GET shows
/// under <c>notification</c>.
/// </summary>
/// <param name="TimesSent">Notifications the endpoint accepted (2xx).</param>
/// <param name="TimesFailed">Attempts that failed (refused, timed out, non-2xx); each is retried.</param>
/// <param name="ConsecutiveErrors">Failed attempts since the last success.</param>
/// <param name="Pending">Entity changes waiting to be sent (including the notification being attempted).</param>
/// <param name="Dropped">Entity changes dropped, oldest first, because the queue reached its bound.</param>
/// <param name="EntitiesSent">Entity changes delivered (a notification carries one or more).</param>
[GenerateSerializer, Immutable]
public sealed record SubscriptionStatus(
    [property: Id(0)] long TimesSent,
    [property: Id(1)] long TimesFailed,
    [property: Id(2)] long? LastNotificationMs,
    [property: Id(3)] long? LastSuccessMs,
    [property: Id(4)] long? LastFailureMs,
    [property: Id(5)] int ConsecutiveErrors,
    [property: Id(6)] int Pending,
    [property: Id(7)] long Dropped,
    [property: Id(8)] long EntitiesSent,
    [property: Id(9)] string? LastError)
{
    public static SubscriptionStatus Empty { get; } = new(0, 0, null, null, null, 0, 0, 0, 0, null);

    /// <summary>NGSI-LD's notification status: failed while the last attempt failed, ok otherwise.</summary>
    public string State => ConsecutiveErrors > 0 ? "failed" : "ok";
}
