namespace CitySense.UnitTests.Hostile;

/// <summary>
/// The hostile-input and fuzz tests run alone, after the others: they drive the decoder hard from their own threads,
/// which disturbed the steady-state allocation tests' per-thread byte counts when both ran at once.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    public const string Name = "hostile";
}
