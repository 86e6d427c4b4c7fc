namespace CitySense.Contracts.Indicators;

/// <summary>How area grains store their state (storage "state"). Bound from configuration section "State".</summary>
public sealed class StateOptions
{
    public const string Section = "State";

    /// <summary>
    /// Store each area's state after every ingest batch, before the batch is acknowledged: with a durable store (Redis,
    /// in a cluster) a silo killed at any moment loses nothing acknowledged. Defaults to true with Orleans:Provider=Redis;
    /// with the embedded default (memory storage, which a process restart loses anyway) areas store on deactivation only.
    /// </summary>
    public bool WriteEveryBatch { get; set; }

    /// <summary>
    /// Store each area's state when its silo shuts down. Defaults to false with the embedded default: its memory storage
    /// leaves with the process, and cannot be reached then anyway (a silo has left the cluster, so places no grain, by
    /// the time its grains deactivate: "No active nodes are compatible with grain memorystorage").
    /// </summary>
    public bool StoreOnShutdown { get; set; } = true;

    /// <summary>Windows stored per kind besides unwritten ones: those within the allowed lateness plus this many more.</summary>
    public int ExtraWindowsStored { get; set; } = 2;
}
