using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;

namespace CitySense.Output.Writing;

/// <summary>Writes batches through InfluxDB.Client to the v2 write API (precision ms). One request per batch, no client-side retry: the sink retries.</summary>
public sealed class InfluxLineWriter : ILineWriter
{
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _write;
    private readonly string _bucket;
    private readonly string _org;

    public InfluxLineWriter(InfluxOptions options)
    {
        var builder = InfluxDBClientOptions.Builder.CreateNew()
            .Url(options.Url!)
            .Org(options.Org)
            .Bucket(options.Bucket)
            .TimeOut(TimeSpan.FromSeconds(30));
        if (!string.IsNullOrEmpty(options.Token))
        {
            builder.AuthenticateToken(options.Token);
        }

        _client = new InfluxDBClient(builder.Build());
        if (options.Gzip)
        {
            _client.EnableGzip();
        }

        _write = _client.GetWriteApiAsync();
        _bucket = options.Bucket;
        _org = options.Org;
        Destination = $"influx {new Uri(options.Url!).GetLeftPart(UriPartial.Authority)} bucket {options.Bucket}";
    }

    public string Destination { get; }

    public Task WriteAsync(IReadOnlyList<ReadOnlyMemory<byte>> chunks, int totalBytes, CancellationToken cancellationToken)
    {
        // InfluxDB.Client takes strings; one string per batch (not per line) keeps this to one allocation per request.
        var body = string.Create(Utf8Length(chunks), chunks, static (span, parts) =>
        {
            foreach (var part in parts)
            {
                var n = Encoding.UTF8.GetChars(part.Span, span);
                span = span[n..];
            }
        });
        return _write.WriteRecordAsync(body.TrimEnd('\n'), WritePrecision.Ms, _bucket, _org, cancellationToken);
    }

    /// <summary>
    /// 400 (unparsable line protocol) and 422 (points outside the bucket's retention) are about the content; 401/403/404
    /// are about configuration an operator can fix, and 429/5xx are transient, so those are retried.
    /// </summary>
    public bool IsPermanent(Exception error) =>
        error is InfluxDB.Client.Core.Exceptions.HttpException { Status: 400 or 422 };

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int Utf8Length(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        var total = 0;
        foreach (var chunk in chunks)
        {
            total += Encoding.UTF8.GetCharCount(chunk.Span);
        }

        return total;
    }
}
