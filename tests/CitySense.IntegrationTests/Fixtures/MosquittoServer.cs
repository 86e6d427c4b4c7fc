namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A real mosquitto (Debian package) on a free loopback port with its own config file.</summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-mosquitto-").FullName;
    private ExternalProcess? _process;

    public int Port { get; private set; }

    /// <summary>The fixture's own folder, where a test writes password and ACL files before <see cref="StartAsync"/>.</summary>
    public string Folder => _folder;

    /// <summary>Access lines of the config file; a security test replaces them with password_file and acl_file.</summary>
    public string AccessConfig { get; set; } = "allow_anonymous true";

    public async Task StartAsync()
    {
        Port = Port == 0 ? FreePort.Next() : Port;
        var config = Path.Combine(_folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            {AccessConfig}
            persistence false
            max_queued_messages 100000
            set_tcp_nodelay true
            """);
        _process = ExternalProcess.Start("/usr/sbin/mosquitto", $"-c {config}");
        try
        {
            await Wait.ForPortAsync(Port, TimeSpan.FromSeconds(20), "mosquitto to listen");
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{_process.Output}");
        }
    }

    /// <summary>Stops the broker; <see cref="StartAsync"/> starts it again on the same port.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
