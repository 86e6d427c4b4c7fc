namespace CitySense.IntegrationTests.Live;

/// <summary>A live subscriber under test: it records every message it reads.</summary>
public interface ILiveClient : IAsyncDisposable
{
    string Name { get; }

    IReadOnlyList<LiveMessage> Received { get; }
}
