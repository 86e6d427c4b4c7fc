namespace CitySense.Contracts.Live;

/// <summary>What <see cref="IndicatorUpdate"/> and <see cref="AlarmUpdate"/> share: their place in the silo's sequence.</summary>
public interface ILiveUpdate
{
    long Seq { get; }

    long AtMs { get; }
}
