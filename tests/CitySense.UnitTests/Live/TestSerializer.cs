using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CitySense.UnitTests.Live;

/// <summary>Orleans' serializer with this solution's generated codecs, as the silo registers it.</summary>
internal static class TestSerializer
{
    public static Serializer Instance { get; } = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
}
