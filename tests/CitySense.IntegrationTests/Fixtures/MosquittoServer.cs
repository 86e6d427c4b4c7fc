namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A real mosquitto (Debian package) on a free loopback port with its own config file.</summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-mosquitto-").FullName;
    private ExternalProcess? _process;

    public int Port { get; private set; }

    /// <summary>What the running broker printed (to explain a failure).</summary>
    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The fixture's own folder, where a test writes password and ACL files before <see cref="StartAsync"/>.</summary>
    public string Folder => _folder;

    /// <summary>Access lines of the config file; a security test replaces them with password_file and acl_file.</summary>
    public string AccessConfig { get; set; } = "allow_anonymous true";

    /// <summary>Keep sessions and queued messages across a restart (saved when the broker stops gracefully).</summary>
    public bool Persistent { get; set; }

    /// <summary>Messages the broker queues per client (QoS 1 in flight or waiting); an overload test raises it.</summary>
    public int MaxQueuedMessages { get; set; } = 100_000;

    public async Task StartAsync()
    {
        Port = Port == 0 ? FreePort.Next() : Port;
        if (Persistent && !OperatingSystem.IsWindows())
        {
            // Started as root, mosquitto drops to its own user before it saves sessions: let it write here (test folder only).
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_111_111);
        }

        var config = Path.Combine(_folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            {AccessConfig}
            {(Persistent ? $"persistence true\npersistence_location {_folder}/" : "persistence false")}
            max_queued_messages {MaxQueuedMessages}
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

    /// <summary>Stops the broker the way an operator restarts it (SIGTERM: it saves its sessions when persistent).</summary>
    public async Task TerminateAsync()
    {
        if (_process is not null)
        {
            await _process.TerminateAsync();
            await _process.DisposeAsync();
            _process = null;
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
