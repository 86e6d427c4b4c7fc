using System.Buffers;
using System.Text;
using System.Text.Json;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Rejections;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;
using CitySense.Ingest.Batches;
using CitySense.Contracts.Routing;

namespace CitySense.Ingest.Decoding;

/// <summary>
/// Decodes one MQTT message (topic + payload) of telemetry contract v1 straight from the payload sequence into a
/// <see cref="ReadingBatch"/>. Nothing is allocated per reading once ids and metric names are interned.
/// A malformed message never throws out of here: it is rolled back out of the batch and recorded with its reason.
/// </summary>
public sealed class TelemetryDecoder
{
    // Unix ms of 2000-01-01: anything earlier is a device with an unset clock, not a reading.
    private const long MinTimestampMs = 946_684_800_000;
    // Property names longer than this many bytes (escaped) cannot be a valid id: reject without copying.
    private const int MaxEscapedNameBytes = Ids.MaxLength * 6;

    private readonly AddressBook _addresses;
    private readonly RejectionLog _rejections;
    private readonly TimeProvider _time;
    private readonly int _maxPayloadBytes;
    private readonly int _maxReadings;
    private readonly int _maxMetrics;
    private readonly long _maxSkewMs;

    public TelemetryDecoder(AddressBook addresses, RejectionLog rejections, IOptions<IngestOptions> options, TimeProvider time)
    {
        _addresses = addresses;
        _rejections = rejections;
        _time = time;
        var o = options.Value;
        _maxPayloadBytes = o.MaxPayloadBytes;
        _maxReadings = o.MaxReadingsPerMessage;
        _maxMetrics = o.MaxMetricsPerReading;
        _maxSkewMs = (long)o.MaxClockSkew.TotalMilliseconds;
    }

    public DecodeResult Decode(string topic, in ReadOnlySequence<byte> payload, ReadingBatch batch, string? clientId = null)
    {
        var mark = batch.Mark();
        var result = DecodeMessage(topic, payload, batch, clientId);
        var rejections = batch.Rejections;
        for (var i = mark.Rejections; i < rejections.Count; i++)
        {
            var r = rejections[i];
            _rejections.Record(r.Reason, topic, clientId, AreaKeys.Community(r.District, r.Community), r.Device, r.Detail, payload);
        }

        return result.Rejected > 0 && result.FirstRejection == RejectionReason.None && rejections.Count > mark.Rejections
            ? result with { FirstRejection = rejections[mark.Rejections].Reason }
            : result;
    }

    private DecodeResult DecodeMessage(string topic, in ReadOnlySequence<byte> payload, ReadingBatch batch, string? clientId)
    {
        var reason = TopicParser.TryParse(topic, out var parts);
        if (reason != RejectionReason.None)
        {
            _rejections.Record(reason, topic, clientId, null, null, reason == RejectionReason.UnknownTopic
                ? "topic must be city/{district}/{community}/{kind}/{device}"
                : "topic ids must match [A-Za-z0-9_.-]{1,64}", payload);
            return new DecodeResult(0, 1, reason);
        }

        var span = topic.AsSpan();
        var context = new MessageContext(topic, clientId, parts, span[parts.District], span[parts.Community], span[parts.Kind], span[parts.Leaf],
            _time.GetUtcNow().ToUnixTimeMilliseconds());

        if (payload.Length > _maxPayloadBytes)
        {
            return RejectMessage(context, batch, RejectionReason.PayloadTooLarge, $"payload is {payload.Length} bytes, limit {_maxPayloadBytes}", payload);
        }

        var mark = batch.Mark();
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 4 });
        try
        {
            if (!reader.Read())
            {
                return RejectMessage(context, batch, RejectionReason.NotJson, "empty payload", payload);
            }

            var result = parts.Type == TopicKind.Gateway
                ? DecodeGateway(ref reader, context, batch, mark, payload)
                : DecodeSingle(ref reader, context, batch, payload);

            // A second top-level value (or trailing garbage) makes the reader throw here.
            if (reader.Read())
            {
                batch.RollBack(mark);
                return RejectMessage(context, batch, RejectionReason.NotJson, "trailing data after the JSON value", payload);
            }

            return result;
        }
        catch (JsonException ex)
        {
            batch.RollBack(mark);
            var why = ex.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) ? RejectionReason.BadEncoding : RejectionReason.NotJson;
            return RejectMessage(context, batch, why, FirstSentence(ex.Message), payload);
        }
        catch (ArgumentException ex)
        {
            // Utf8JsonReader reports some invalid UTF-8 in strings this way.
            batch.RollBack(mark);
            return RejectMessage(context, batch, RejectionReason.BadEncoding, FirstSentence(ex.Message), payload);
        }
        catch (IndexOutOfRangeException)
        {
            // Utf8JsonReader throws this on a truncated literal ("n", "tru") that spans payload segments (found by fuzzing).
            batch.RollBack(mark);
            return RejectMessage(context, batch, RejectionReason.NotJson, "truncated literal", payload);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.CopyString reports invalid UTF-8 ("Cannot transcode invalid UTF-8") this way.
            batch.RollBack(mark);
            var why = ex.InnerException is System.Text.DecoderFallbackException || ex.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase)
                ? RejectionReason.BadEncoding
                : RejectionReason.NotJson;
            return RejectMessage(context, batch, why, FirstSentence(ex.Message), payload);
        }
    }

    private DecodeResult DecodeSingle(ref Utf8JsonReader reader, in MessageContext context, ReadingBatch batch, in ReadOnlySequence<byte> payload)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return RejectMessage(context, batch, RejectionReason.NotAnObject, "a device payload is one JSON object", payload);
        }

        var address = _addresses.Resolve(context.District, context.Community, context.Kind, context.Leaf);
        return DecodeReading(ref reader, context, address, batch, payload) ? new DecodeResult(1, 0) : new DecodeResult(0, 1);
    }

    private DecodeResult DecodeGateway(ref Utf8JsonReader reader, in MessageContext context, ReadingBatch batch, in BatchMark mark, in ReadOnlySequence<byte> payload)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return RejectMessage(context, batch, RejectionReason.NotAnArray, "a gateway payload is a JSON array of readings", payload);
        }

        int accepted = 0, rejected = 0, elements = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++elements > _maxReadings)
            {
                batch.RollBack(mark);
                reader.Skip();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    reader.Skip();
                }

                return RejectMessage(context, batch, RejectionReason.TooManyReadings, $"more than {_maxReadings} readings in one message", payload);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                RejectReading(context, context.Kind, null, batch, RejectionReason.NotAnObject, "each gateway element is a JSON object", payload);
                rejected++;
                continue;
            }

            if (DecodeReading(ref reader, context, address: null, batch, payload))
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        return new DecodeResult(accepted, rejected);
    }

    /// <summary>
    /// Reads one reading object to its end. Returns false (and records why) when the reading is rejected;
    /// the reader is then still positioned on the object's end, so the next gateway element can be read.
    /// </summary>
    private bool DecodeReading(ref Utf8JsonReader reader, in MessageContext context, DeviceAddress? address, ReadingBatch batch, in ReadOnlySequence<byte> payload)
    {
        var metricStart = batch.MetricCount;
        long ts = 0;
        ulong seq = 0;
        bool hasTs = false, hasSeq = false;
        var failure = RejectionReason.None;
        string? failureDetail = null;
        Span<char> deviceChars = stackalloc char[Ids.MaxLength];
        Span<char> kindChars = stackalloc char[Ids.MaxLength];
        int deviceLength = -1, kindLength = -1;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // Property name.
            var field = Field.Metric;
            if (reader.ValueTextEquals("ts"u8)) field = Field.Ts;
            else if (reader.ValueTextEquals("seq"u8)) field = Field.Seq;
            else if (address is null && reader.ValueTextEquals("device"u8)) field = Field.Device;
            else if (address is null && reader.ValueTextEquals("kind"u8)) field = Field.Kind;

            string? metricName = null;
            if (field == Field.Metric && failure == RejectionReason.None)
            {
                metricName = ReadName(ref reader);
                if (metricName is null)
                {
                    Fail(ref failure, ref failureDetail, RejectionReason.InvalidId, "metric names must match [A-Za-z0-9_.-]{1,64}");
                }
            }

            reader.Read(); // the value
            // After a failure only device and kind are still read: the rejection counts under them.
            if (failure != RejectionReason.None && field is not (Field.Device or Field.Kind))
            {
                reader.Skip();
                continue;
            }

            switch (field)
            {
                case Field.Ts:
                    if (hasTs) Fail(ref failure, ref failureDetail, RejectionReason.DuplicateKey, "\"ts\" appears twice");
                    else if (reader.TokenType != JsonTokenType.Number) Fail(ref failure, ref failureDetail, RejectionReason.InvalidTimestamp, "\"ts\" must be Unix milliseconds (integer)");
                    else if (!Numbers.TryGetInt64(ref reader, out ts)) Fail(ref failure, ref failureDetail, RejectionReason.InvalidTimestamp, "\"ts\" must be Unix milliseconds (integer)");
                    else hasTs = true;
                    break;
                case Field.Seq:
                    if (hasSeq) Fail(ref failure, ref failureDetail, RejectionReason.DuplicateKey, "\"seq\" appears twice");
                    else if (reader.TokenType != JsonTokenType.Number || !Numbers.TryGetUInt64(ref reader, out seq)) Fail(ref failure, ref failureDetail, RejectionReason.WrongType, "\"seq\" must be an unsigned integer");
                    else hasSeq = true;
                    break;
                case Field.Device:
                    if (deviceLength >= 0) Fail(ref failure, ref failureDetail, RejectionReason.DuplicateKey, "\"device\" appears twice");
                    else deviceLength = ReadIdValue(ref reader, deviceChars, ref failure, ref failureDetail, "device");
                    break;
                case Field.Kind:
                    if (kindLength >= 0) Fail(ref failure, ref failureDetail, RejectionReason.DuplicateKey, "\"kind\" appears twice");
                    else kindLength = ReadIdValue(ref reader, kindChars, ref failure, ref failureDetail, "kind");
                    break;
                default:
                    ReadMetric(ref reader, metricName!, batch, metricStart, ref failure, ref failureDetail);
                    break;
            }

            if (failure != RejectionReason.None && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        ReadOnlySpan<char> kind = address is null ? (kindLength > 0 ? kindChars[..kindLength] : context.Kind) : context.Kind;
        if (failure == RejectionReason.None)
        {
            if (address is null && deviceLength < 0) Fail(ref failure, ref failureDetail, RejectionReason.MissingDevice, "a gateway reading names its \"device\"");
            else if (address is null && kindLength < 0) Fail(ref failure, ref failureDetail, RejectionReason.MissingKind, "a gateway reading names its \"kind\"");
            else if (address is null && kind.SequenceEqual(Kinds.Gateway)) Fail(ref failure, ref failureDetail, RejectionReason.InvalidId, "\"gateway\" is not a device kind");
            else if (!hasTs) Fail(ref failure, ref failureDetail, RejectionReason.MissingTimestamp, "\"ts\" (Unix milliseconds) is required");
            else if (ts < MinTimestampMs) Fail(ref failure, ref failureDetail, RejectionReason.InvalidTimestamp, "\"ts\" is before 2000-01-01: Unix milliseconds expected");
            else if (ts > context.ReceivedAtMs + _maxSkewMs) Fail(ref failure, ref failureDetail, RejectionReason.TimestampInFuture, "\"ts\" is further in the future than the allowed clock skew");
            else if (batch.MetricCount == metricStart) Fail(ref failure, ref failureDetail, RejectionReason.NoMetrics, "a reading carries at least one numeric metric");
        }

        if (failure != RejectionReason.None)
        {
            batch.TruncateMetrics(metricStart);
            RejectReading(context, kind, deviceLength > 0 ? deviceChars[..deviceLength] : (address is null ? default : context.Leaf), batch, failure, failureDetail!, payload);
            return false;
        }

        address ??= _addresses.Resolve(context.District, context.Community, kind, deviceChars[..deviceLength]);
        batch.AddReading(new DecodedReading(address, ts, seq, hasSeq, context.ReceivedAtMs, metricStart, batch.MetricCount - metricStart));
        return true;
    }

    private void ReadMetric(ref Utf8JsonReader reader, string name, ReadingBatch batch, int metricStart, ref RejectionReason failure, ref string? detail)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            Fail(ref failure, ref detail, RejectionReason.WrongType, $"metric \"{name}\" must be a number");
            return;
        }

        if (!Numbers.TryGetDouble(ref reader, out var value) || !double.IsFinite(value))
        {
            Fail(ref failure, ref detail, RejectionReason.NotFinite, $"metric \"{name}\" is not a finite number");
            return;
        }

        var count = batch.MetricCount - metricStart;
        if (count >= _maxMetrics)
        {
            Fail(ref failure, ref detail, RejectionReason.TooManyMetrics, $"more than {_maxMetrics} metrics in one reading");
            return;
        }

        foreach (var existing in batch.MetricsOf(new DecodedReading(null!, 0, 0, false, 0, metricStart, count)))
        {
            // Names are interned, so the reference check settles nearly all; past the interner's capacity they are not.
            if (ReferenceEquals(existing.Name, name) || string.Equals(existing.Name, name, StringComparison.Ordinal))
            {
                Fail(ref failure, ref detail, RejectionReason.DuplicateKey, $"metric \"{name}\" appears twice");
                return;
            }
        }

        batch.AddMetric(new MetricSample(name, value));
    }

    private string? ReadName(ref Utf8JsonReader reader)
    {
        // Nearly every name arrives unescaped in one segment: checked and interned straight from the payload, with no
        // copy and no stack buffer to clear (clearing the buffers was 1.5 % of the silo's CPU under gateway load).
        // Anything else, invalid names included, takes the copy below, which also tells invalid UTF-8 as before.
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && Ids.IsValid(reader.ValueSpan))
        {
            return _addresses.Ids.InternAscii(reader.ValueSpan);
        }

        return ReadNameCopied(ref reader);
    }

    private string? ReadNameCopied(ref Utf8JsonReader reader)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapedNameBytes];
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > buffer.Length)
        {
            return null;
        }

        var n = reader.CopyString(buffer);
        var name = buffer[..n];
        return Ids.IsValid(name) ? _addresses.Ids.InternAscii(name) : null;
    }

    private static int ReadIdValue(ref Utf8JsonReader reader, scoped Span<char> target, ref RejectionReason failure, ref string? detail, string what)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            Fail(ref failure, ref detail, RejectionReason.WrongType, $"\"{what}\" must be a string");
            return -1;
        }

        // As in ReadName: an unescaped valid id in one segment is widened straight into the target.
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && Ids.IsValid(reader.ValueSpan))
        {
            return Encoding.ASCII.GetChars(reader.ValueSpan, target);
        }

        return ReadIdValueCopied(ref reader, target, ref failure, ref detail, what);
    }

    private static int ReadIdValueCopied(ref Utf8JsonReader reader, scoped Span<char> target, ref RejectionReason failure, ref string? detail, string what)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxEscapedNameBytes)
        {
            Fail(ref failure, ref detail, RejectionReason.InvalidId, $"\"{what}\" must match [A-Za-z0-9_.-]{{1,64}}");
            return -1;
        }

        Span<char> chars = stackalloc char[MaxEscapedNameBytes];
        var n = reader.CopyString(chars);
        if (!Ids.IsValid(chars[..n]))
        {
            Fail(ref failure, ref detail, RejectionReason.InvalidId, $"\"{what}\" must match [A-Za-z0-9_.-]{{1,64}}");
            return -1;
        }

        chars[..n].CopyTo(target);
        return n;
    }

    private static void Fail(ref RejectionReason failure, ref string? detail, RejectionReason reason, string why)
    {
        if (failure == RejectionReason.None)
        {
            failure = reason;
            detail = why;
        }
    }

    private DecodeResult RejectMessage(in MessageContext context, ReadingBatch batch, RejectionReason reason, string detail, in ReadOnlySequence<byte> payload)
    {
        RejectReading(context, context.Kind, context.Type == TopicKind.Device ? context.Leaf : default, batch, reason, detail, payload);
        return new DecodeResult(0, 1);
    }

    private void RejectReading(in MessageContext context, ReadOnlySpan<char> kind, ReadOnlySpan<char> device, ReadingBatch batch, RejectionReason reason, string detail, in ReadOnlySequence<byte> payload)
    {
        var ids = _addresses.Ids;
        var kindId = Ids.IsValid(kind) ? ids.Intern(kind) : Kinds.Gateway;
        batch.AddRejection(new DecodedRejection(ids.Intern(context.District), ids.Intern(context.Community), kindId, reason, context.ReceivedAtMs,
            device.IsEmpty ? null : device.ToString(), detail));
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }

    private enum Field : byte
    {
        Metric,
        Ts,
        Seq,
        Device,
        Kind,
    }

    private readonly ref struct MessageContext(
        string topic,
        string? clientId,
        TopicParts parts,
        ReadOnlySpan<char> district,
        ReadOnlySpan<char> community,
        ReadOnlySpan<char> kind,
        ReadOnlySpan<char> leaf,
        long receivedAtMs)
    {
        public string Topic { get; } = topic;
        public string? ClientId { get; } = clientId;
        public TopicKind Type { get; } = parts.Type;
        public ReadOnlySpan<char> District { get; } = district;
        public ReadOnlySpan<char> Community { get; } = community;
        public ReadOnlySpan<char> Kind { get; } = kind;
        public ReadOnlySpan<char> Leaf { get; } = leaf;
        public long ReceivedAtMs { get; } = receivedAtMs;
    }
}
