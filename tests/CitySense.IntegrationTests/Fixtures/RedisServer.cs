namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A real redis-server (Debian package) on a free loopback port, no persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ExternalProcess? _process;

    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        Port = FreePort.Next();
        _process = ExternalProcess.Start("/usr/bin/redis-server", $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no");
        try
        {
            await Wait.ForPortAsync(Port, TimeSpan.FromSeconds(20), "redis-server to listen");
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{_process.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
