using System.Globalization;

namespace CitySense.Output.Writing;

/// <summary>
/// Appends line protocol to rotating files (citysense-yyyyMMdd-HHmmss-fff.lp) under the data folder, importable with
/// <c>influx write --precision ms --file ...</c>. Used when no InfluxDB URL is configured.
/// </summary>
public sealed class FileLineWriter : ILineWriter
{
    private readonly string _folder;
    private readonly long _rotateBytes;
    private readonly int _filesKept;
    private readonly TimeProvider _time;
    private FileStream? _current;

    public FileLineWriter(InfluxOptions options, TimeProvider time)
    {
        _folder = Path.GetFullPath(Path.Combine(options.DataPath, "lineprotocol"));
        _rotateBytes = options.FileRotateBytes;
        _filesKept = Math.Max(1, options.FilesKept);
        _time = time;
        Directory.CreateDirectory(_folder);
        Destination = $"files {_folder}";
    }

    public string Destination { get; }

    public string Folder => _folder;

    public async Task WriteAsync(IReadOnlyList<ReadOnlyMemory<byte>> chunks, int totalBytes, CancellationToken cancellationToken)
    {
        if (_current is null || _current.Length + totalBytes > _rotateBytes)
        {
            await RotateAsync();
        }

        foreach (var chunk in chunks)
        {
            await _current!.WriteAsync(chunk, cancellationToken);
        }

        await _current!.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
            _current = null;
        }
    }

    private async Task RotateAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }

        var name = "citysense-" + _time.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + ".lp";
        _current = new FileStream(Path.Combine(_folder, name), FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);

        var files = Directory.GetFiles(_folder, "citysense-*.lp");
        Array.Sort(files, StringComparer.Ordinal);
        for (var i = 0; i < files.Length - _filesKept; i++)
        {
            File.Delete(files[i]);
        }
    }
}
