using System.Text.Json;
using CitySense.Contracts.Live;
using CitySense.Live;

namespace CitySense.Api.Live;

/// <summary>
/// What SSE and WebSocket subscribers share: the snapshot first, then every buffered update, and a status message
/// whenever nothing was sent for the status interval. The transport only frames messages and flushes.
/// </summary>
internal abstract class LiveSession(LiveSubscriber subscriber, TimeSpan statusInterval)
{
    /// <summary>Messages written before a flush, so a subscriber that fell behind catches up in large writes.</summary>
    private const int MaxUnflushed = 256;

    private long _lastSeq;

    protected LiveSubscriber Subscriber => subscriber;

    public async Task RunAsync(CancellationToken ct)
    {
        var snapshot = subscriber.Snapshot;
        _lastSeq = snapshot.Seq;
        WriteMessage("snapshot", snapshot.Seq, w => LiveJson.WriteSnapshot(w, snapshot, subscriber.Filter, subscriber.Dropped));
        await FlushAsync(ct);

        var reader = subscriber.Reader;
        Task<bool>? waiting = null;
        while (!ct.IsCancellationRequested)
        {
            var written = 0;
            while (written < MaxUnflushed && reader.TryRead(out var update))
            {
                Write(update);
                written++;
            }

            if (written > 0)
            {
                await FlushAsync(ct);
                continue;
            }

            // The same wait is kept across status messages: a channel wait cannot be taken back once started.
            waiting ??= reader.WaitToReadAsync(ct).AsTask();
            var finished = await Task.WhenAny(waiting, Task.Delay(statusInterval, ct));
            if (finished == waiting)
            {
                if (!await waiting)
                {
                    return;
                }

                waiting = null;
                continue;
            }

            ct.ThrowIfCancellationRequested();
            WriteMessage("status", _lastSeq, w => LiveJson.WriteStatus(w, _lastSeq, subscriber.Dropped, subscriber.Buffered));
            await FlushAsync(ct);
        }
    }

    /// <summary>Frames one message; <paramref name="write"/> writes its JSON.</summary>
    protected abstract void WriteMessage(string type, long seq, Action<Utf8JsonWriter> write);

    protected abstract ValueTask FlushAsync(CancellationToken ct);

    private void Write(ILiveUpdate update)
    {
        _lastSeq = update.Seq;
        switch (update)
        {
            case IndicatorUpdate u:
                WriteMessage("indicators", u.Seq, w => LiveJson.WriteIndicator(w, u, subscriber.Filter, subscriber.Dropped));
                break;
            case AlarmUpdate a:
                WriteMessage("alarm", a.Seq, w => LiveJson.WriteAlarm(w, a, subscriber.Dropped));
                break;
        }
    }
}
