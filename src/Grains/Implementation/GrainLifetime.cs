namespace CitySense.Grains;

internal static class GrainLifetime
{
    /// <summary>
    /// How long a grain holding in-memory state is kept from idle collection after each call that changes it. Long
    /// enough to be "never" for a running silo; grain storage (the scale-out issue) replaces it.
    /// </summary>
    public static readonly TimeSpan WithData = TimeSpan.FromDays(3650);
}
