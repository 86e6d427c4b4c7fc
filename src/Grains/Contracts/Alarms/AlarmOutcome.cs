namespace CitySense.Contracts.Alarms;

/// <summary>What became of an operator's action.</summary>
public enum AlarmOutcome : byte
{
    /// <summary>Done and stored: the record is the alarm as it now stands.</summary>
    Done,

    /// <summary>No such alarm in this community.</summary>
    NotFound,

    /// <summary>Not allowed in the alarm's condition (for example acknowledging twice); nothing changed.</summary>
    Refused,
}
