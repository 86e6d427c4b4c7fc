using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace CitySense.UnitTests.Support;

/// <summary>
/// The meter factory the silo's container would inject. One for the whole run: tests count through
/// <see cref="CitySense.Ingest.Rejections.RejectionLog"/> and never read the meters, so sharing them is harmless.
/// </summary>
internal static class TestMeters
{
    public static IMeterFactory Factory { get; } = new ServiceCollection()
        .AddMetrics()
        .BuildServiceProvider()
        .GetRequiredService<IMeterFactory>();
}
