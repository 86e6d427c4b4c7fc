namespace CitySense.Contracts.Vee;

public enum SuspectOutcome
{
    Decided,
    NotFound,
    AlreadyDecided,
}
