namespace CitySense.Contracts.Vee;

/// <summary>Where a suspect reading stands: held out of the totals until an operator decides.</summary>
public enum SuspectState
{
    Held,
    Accepted,
    Rejected,
}
