using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Routing;

/// <summary>
/// A reading its device refused: a register out of range, a decommissioned device, or a device registered elsewhere
/// (<see cref="RejectionReason"/>). Counted in its community's indicators by the router; reported to operators by the edge.
/// </summary>
public readonly record struct DeviceRefusal(DeviceAddress Address, RejectionReason Reason);
