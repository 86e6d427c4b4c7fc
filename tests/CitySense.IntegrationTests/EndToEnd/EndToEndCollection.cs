using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>End-to-end tests run one at a time: each starts real servers and a silo, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
