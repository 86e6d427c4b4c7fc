namespace CitySense.Output.Writing;

/// <summary>Delivers one batch of complete lines to its destination; throws when it could not.</summary>
public interface ILineWriter : IAsyncDisposable
{
    string Destination { get; }

    Task WriteAsync(IReadOnlyList<ReadOnlyMemory<byte>> chunks, int totalBytes, CancellationToken cancellationToken);

    /// <summary>True when retrying the same batch cannot succeed (the destination refused its content).</summary>
    bool IsPermanent(Exception error) => false;
}
