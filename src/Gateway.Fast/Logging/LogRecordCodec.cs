using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Gateway.Fast.Logging;

/// <summary>The binary format of the request log's entries (version 2; version 1 entries are still read).</summary>
/// <remarks>
/// <code>
/// entry   = magic(0xA7) version(1) kind(1) body crc32c(4, little endian, over everything before it)
/// Row     = v2: u32 record-length record | v1: record
///           then i32 request-length request-bytes i32 response-length response-bytes
///           then sections to the entry's end, each u8 tag (<see cref="LogRowSection"/>) + i32 length + bytes, written
///           only when not empty: the response headers; the response body's blocks (<see cref="LogResponseBlocks"/>:
///           i32 decoded-length, then per segment u8 kind (0 raw, 1 LZ4 of a 4096-byte block) + i32 length + bytes),
///           when the body was captured with compressed blocks, and then the response body slot above is empty
/// Update  = record
/// Delete  = i32 count, count × string (read only: earlier versions wrote it)
/// DeleteAt = i32 count, count × (i64 row address, string)
/// record  = the <see cref="LogRecord"/> fields in declaration order: strings as i32 byte length (-1 = null) + UTF-8,
///           numbers little endian, bools one byte, nullable numbers a presence byte then the value;
///           v2 then: extensions to the record's end, each u8 tag (<see cref="LogRecordExtension"/>) + i32 length + bytes,
///           written only for fields that are set (team, session, guardrail flags)
/// </code>
/// Binary rather than JSON: a row is ~250 bytes instead of ~700, and the CRC lets recovery refuse a damaged entry rather
/// than surface it. Version 2 delimits the record so the store can keep a copy of it (not the bodies) in memory, and
/// carries new fields as tagged extensions that older readers skip: adding a field needs no new version. Sections after
/// the bodies hold what only the request drawer reads (the response headers); a gateway from before sections existed
/// refuses a row that has one, so going back to such a build loses the rows written since (the metadata store keeps
/// them only while it is not rebuilt from the log). A stream's body is stored as the capture held it, its full blocks
/// LZ4-compressed, and decoded only when read: encoding it decoded cost every logged stream an LZ4 decode, and a CRC, a
/// copy and page writes over the whole body. A gateway from before that section skips it and reads such a row's response
/// body as empty.
/// </remarks>
internal static class LogRecordCodec
{
    public const byte Magic = 0xA7;
    public const byte Version = 2;
    private const int HeaderSize = 3;
    private const int CrcSize = 4;

    // Bytes of a record besides its strings' UTF-8: 12 string lengths and the fixed-size fields.
    private const int RecordFixedBytes = (12 * 4) + 8 + 1 + 1 + 4 + 4 + (3 * 5) + 1 + 9 + 1 + 4 + 8 + 8 + 1 + 4 + 9 + 1;

    /// <summary>Encodes a Row entry into an array rented from <see cref="LogBufferPool"/>: the record stage's only copy of the bodies.</summary>
    /// <param name="fields">The row.</param>
    /// <param name="request">The request body kept, or empty.</param>
    /// <param name="response">The response body kept, or empty.</param>
    /// <param name="responseHeaders">The response headers as <see cref="ResponseHeaderCapture"/> encodes them, or empty.</param>
    public static LogRowBuffer EncodeRow(in LogRowFields fields, ReadOnlySpan<byte> request, ReadOnlySpan<byte> response,
        ReadOnlySpan<byte> responseHeaders = default)
    {
        var buffer = LogBufferPool.Rent(MaxRowSize(in fields, request.Length, response.Length) + SectionSize(responseHeaders.Length));
        return new LogRowBuffer(buffer, WriteRow(buffer, in fields, request, response, responseHeaders), fields.GatewayId);
    }

    /// <summary>
    /// As <see cref="EncodeRow"/>, with the response body copied from the capture's blocks straight into the row: no
    /// joined copy of it is made first.
    /// </summary>
    /// <remarks>A capture holding compressed blocks (a stream's) is stored as those blocks, in a
    /// <see cref="LogRowSection.ResponseBlocks"/> section, with the response body slot left empty.</remarks>
    public static LogRowBuffer EncodeCapturedRow(in LogRowFields fields, ReadOnlySpan<byte> request, BodyCapture response,
        ReadOnlySpan<byte> responseHeaders)
    {
        if (response.HasCompressedBlocks)
        {
            return EncodeBlocksRow(in fields, request, response, responseHeaders);
        }

        var buffer = LogBufferPool.Rent(MaxRowSize(in fields, request.Length, response.Length) + SectionSize(responseHeaders.Length));
        var w = BeginRow(buffer, in fields, request);
        w.Bytes(response);
        return new LogRowBuffer(buffer, EndRow(ref w, responseHeaders), fields.GatewayId);
    }

    private static LogRowBuffer EncodeBlocksRow(in LogRowFields fields, ReadOnlySpan<byte> request, BodyCapture response,
        ReadOnlySpan<byte> responseHeaders)
    {
        var buffer = LogBufferPool.Rent(MaxRowSize(in fields, request.Length, 0) + SectionSize(responseHeaders.Length)
            + SectionSize(LogResponseBlocks.MaxSize(response)));
        var w = BeginRow(buffer, in fields, request);
        w.Int32(0); // the response body slot: empty, the body is in its section
        w.Blocks(response);
        return new LogRowBuffer(buffer, EndRow(ref w, responseHeaders), fields.GatewayId);
    }

    public static int MaxRowSize(in LogRowFields fields, int requestLength, int responseLength)
        => HeaderSize + 4 + MaxRecordSize(in fields) + 4 + requestLength + 4 + responseLength + CrcSize;

    /// <summary>The bytes a section of <paramref name="length"/> takes: none when empty (not written).</summary>
    public static int SectionSize(int length) => length == 0 ? 0 : 1 + 4 + length;

    public static int MaxUpdateSize(in LogRowFields fields) => HeaderSize + MaxRecordSize(in fields) + CrcSize;

    /// <summary>An upper bound of the record's encoded size (UTF-8 at most 3 bytes a UTF-16 unit).</summary>
    public static int MaxRecordSize(in LogRowFields f)
        => RecordFixedBytes + Max(f.Id) + Max(f.GatewayId) + Max(f.Provider) + Max(f.Model) + Max(f.ModelType) + Max(f.Path)
            + Max(f.RequestType) + Max(f.Metadata) + Max(f.EventId) + Max(f.RequestContentType) + Max(f.ResponseContentType)
            + Max(f.UserAgent) + Max(f.DlpAction)
            + MaxExtension(f.TeamId) + MaxExtension(f.TeamName) + MaxExtension(f.SessionId) + MaxExtension(f.GuardrailFlags);

    /// <summary>Writes a Row entry into <paramref name="destination"/> (at least <see cref="MaxRowSize"/> bytes); returns its length.</summary>
    public static int WriteRow(Span<byte> destination, in LogRowFields fields, ReadOnlySpan<byte> request, ReadOnlySpan<byte> response,
        ReadOnlySpan<byte> responseHeaders = default)
    {
        var w = BeginRow(destination, in fields, request);
        w.Bytes(response);
        return EndRow(ref w, responseHeaders);
    }

    /// <summary>A Row entry up to its response body: header, record and request body.</summary>
    private static SpanWriter BeginRow(Span<byte> destination, in LogRowFields fields, ReadOnlySpan<byte> request)
    {
        var w = new SpanWriter(destination);
        w.Header(LogRecordKind.Row);
        var lengthAt = w.Reserve(4);
        var start = w.Position;
        WriteRecord(ref w, in fields);
        BinaryPrimitives.WriteInt32LittleEndian(destination[lengthAt..], w.Position - start);
        w.Bytes(request);
        return w;
    }

    /// <summary>A Row entry after its response body: the sections and the CRC; returns the entry's length.</summary>
    private static int EndRow(ref SpanWriter w, ReadOnlySpan<byte> responseHeaders)
    {
        if (!responseHeaders.IsEmpty)
        {
            w.Section(LogRowSection.ResponseHeaders, responseHeaders);
        }

        return w.Crc();
    }

    public static int WriteUpdate(Span<byte> destination, in LogRowFields fields)
    {
        var w = new SpanWriter(destination);
        w.Header(LogRecordKind.Update);
        WriteRecord(ref w, in fields);
        return w.Crc();
    }

    /// <summary>Writes a version 2 record alone (what the store keeps in memory); returns its length.</summary>
    public static int WriteRecord(Span<byte> destination, in LogRowFields fields)
    {
        var w = new SpanWriter(destination);
        WriteRecord(ref w, in fields);
        return w.Position;
    }

    /// <summary>Bytes of the DeleteAt entry <see cref="WriteDelete"/> writes for these ids.</summary>
    public static int DeleteSize(LogIdList ids, int start, int count) => HeaderSize + 4 + ids.ByteCount(start, count) + (12 * count) + CrcSize;

    /// <summary>A DeleteAt entry for ids <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of <paramref name="ids"/>.</summary>
    public static void WriteDelete(ArrayBufferWriter<byte> buffer, LogIdList ids, int start, int count)
    {
        var w = new SpanWriter(buffer.GetSpan(DeleteSize(ids, start, count)));
        w.Header(LogRecordKind.DeleteAt);
        w.Int32(count);
        for (var i = start; i < start + count; i++)
        {
            w.Int64(ids.AddressAt(i));
            w.Bytes(ids[i]);
        }

        buffer.Advance(w.Crc());
    }

    /// <summary>Checks magic, version and CRC, and returns the kind, the version and the body between header and CRC.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> entry, out LogRecordKind kind, out byte version, out ReadOnlySpan<byte> body)
    {
        kind = default;
        body = default;
        version = 0;
        if (entry.Length < HeaderSize + CrcSize || entry[0] != Magic || entry[1] is not (1 or 2))
        {
            return false;
        }

        var payload = entry[..^CrcSize];
        if (Crc32C(payload) != BinaryPrimitives.ReadUInt32LittleEndian(entry[^CrcSize..]))
        {
            return false;
        }

        kind = (LogRecordKind)entry[2];
        version = entry[1];
        body = payload[HeaderSize..];
        return kind is LogRecordKind.Row or LogRecordKind.Update or LogRecordKind.Delete or LogRecordKind.DeleteAt;
    }

    /// <summary>Splits a Row body into its record and bodies (slices of <paramref name="body"/>); checks the record decodes.</summary>
    /// <remarks><paramref name="response"/> is the response body slot, empty for a row that keeps its body in blocks: a
    /// reader of the body takes the overload that gives them.</remarks>
    public static bool TryReadRow(ReadOnlySpan<byte> body, byte version, out ReadOnlySpan<byte> record, out ReadOnlySpan<byte> request, out ReadOnlySpan<byte> response)
        => TryReadRow(body, version, out record, out request, out response, out _, out _);

    /// <summary>As above, with the stored response headers (empty for rows written without them) and the response body's
    /// <see cref="LogRowSection.ResponseBlocks"/> section (empty unless the row keeps its body that way, when
    /// <paramref name="response"/> is empty; <see cref="LogResponseBlocks.TryDecode(ReadOnlySpan{byte}, out byte[])"/> reads it).</summary>
    /// <remarks>The blocks' framing is checked here; whether each LZ4 segment decodes is known only when it is decoded.</remarks>
    public static bool TryReadRow(ReadOnlySpan<byte> body, byte version, out ReadOnlySpan<byte> record, out ReadOnlySpan<byte> request,
        out ReadOnlySpan<byte> response, out ReadOnlySpan<byte> responseHeaders, out ReadOnlySpan<byte> responseBlocks)
    {
        responseHeaders = responseBlocks = default;
        var r = new LogEntryReader(body);
        if (version >= 2)
        {
            record = r.Bytes();
            if (!IsRecord(record, version))
            {
                request = response = default;
                return false;
            }
        }
        else
        {
            var probe = new LogEntryReader(body);
            if (ReadRecord(ref probe, version, null, withIds: true) is null)
            {
                record = request = response = default;
                return false;
            }

            record = body[..(body.Length - probe.Remaining)];
            r = probe;
        }

        request = r.Bytes();
        response = r.Bytes();
        while (version >= 2 && r.Ok && r.Remaining > 0)
        {
            var tag = (LogRowSection)r.Byte();
            var section = r.Bytes();
            if (tag == LogRowSection.ResponseHeaders)
            {
                responseHeaders = section;
            }
            else if (tag == LogRowSection.ResponseBlocks)
            {
                if (!response.IsEmpty || !LogResponseBlocks.TryRead(section, out _))
                {
                    responseBlocks = default;
                    return false; // two bodies, or blocks that do not add up: neither is served
                }

                responseBlocks = section;
            }
        }

        return r.End();
    }

    /// <summary>Decodes a record (the record part of a Row, or an Update body); null when malformed.</summary>
    public static LogRecord? ReadRecord(ReadOnlySpan<byte> record, byte version, LogStringCache? strings = null)
    {
        var r = new LogEntryReader(record);
        var decoded = ReadRecord(ref r, version, strings, withIds: true);
        return r.End() ? decoded : null;
    }

    /// <summary>The columns the writer's sums and block filters read (<see cref="LogRowSums"/>); false when malformed.</summary>
    /// <remarks>The writer reads every committed row for the analytics sums and its block's filter. Decoding each into a
    /// <see cref="LogRecord"/> made an object per logged request (and its id strings, which neither reads) that lived only
    /// until the commit; this reads the record's fields in order into a struct, the strings through the writer's cache,
    /// and skips the rest. A record is accepted exactly when <see cref="ReadRecord(ReadOnlySpan{byte}, byte, LogStringCache?)"/>
    /// would accept it.</remarks>
    public static bool TryReadSums(ReadOnlySpan<byte> record, LogStringCache strings, out LogRowSums sums)
    {
        var r = new LogEntryReader(record);
        var id = r.NullableBytes(out var idIsNull);
        var gatewayId = r.NullableBytes(out var gatewayIsNull);
        long createdAt = r.Int64();
        var provider = r.String(strings, LogStringCache.Provider) ?? "";
        var model = r.String(strings, LogStringCache.Model) ?? "";
        var modelType = r.String(strings, LogStringCache.ModelType) ?? "";
        r.NullableBytes(out _); // path
        var requestType = r.String(strings, LogStringCache.RequestType) ?? "";
        bool success = r.Bool(), cached = r.Bool();
        int status = r.Int32(), duration = r.Int32();
        int? ttft = r.NullableInt32(), tokensIn = r.NullableInt32(), tokensOut = r.NullableInt32();
        r.Bool(); // tokens estimated
        double? cost = r.NullableDouble();
        r.Bool(); // custom cost
        var metadata = r.String(); // few rows carry it: a new string only for those
        r.Int32(); // step
        r.NullableBytes(out _); // event id
        r.NullableBytes(out _); // request content type
        r.NullableBytes(out _); // response content type
        r.Int64(); // request size
        r.Int64(); // response size
        r.Bool(); // bodies kept
        r.Int32(); // feedback
        r.NullableDouble(); // score
        r.Bool(); // authentication
        r.NullableBytes(out _); // user agent
        r.NullableBytes(out _); // DLP action
        string? teamId = null, teamName = null;
        while (r.Ok && r.Remaining > 0)
        {
            switch ((LogRecordExtension)r.Byte())
            {
                case LogRecordExtension.TeamId:
                    teamId = r.String(strings, LogStringCache.TeamId);
                    break;
                case LogRecordExtension.TeamName:
                    teamName = r.String(strings, LogStringCache.TeamName);
                    break;
                case LogRecordExtension.SessionId or LogRecordExtension.GuardrailFlags:
                    r.NullableBytes(out _); // no sum reads them
                    break;
                default:
                    r.Bytes(); // a newer gateway's field: skipped
                    break;
            }
        }

        sums = new LogRowSums
        {
            Provider = provider,
            Model = model,
            ModelType = modelType,
            RequestType = requestType,
            CreatedAtUnixMs = createdAt,
            Success = success,
            Cached = cached,
            StatusCode = status,
            Duration = duration,
            TimeToFirstTokenMs = ttft,
            TokensIn = tokensIn,
            TokensOut = tokensOut,
            Cost = cost,
            Metadata = metadata,
            TeamId = teamId,
            TeamName = teamName,
        };
        return r.End() && !idIsNull && !id.IsEmpty && !gatewayIsNull && !gatewayId.IsEmpty;
    }

    public static bool IsRecord(ReadOnlySpan<byte> record, byte version) => ReadRecord(record, version) is not null;

    /// <summary>The first fields of a record, read without decoding the rest: the id's UTF-8 and the creation time.</summary>
    public static bool TryReadHead(ReadOnlySpan<byte> record, out ReadOnlySpan<byte> id, out long createdAtUnixMs)
    {
        var r = new LogEntryReader(record);
        id = r.Bytes();
        r.Bytes(); // gateway id
        createdAtUnixMs = r.Int64();
        return r.Ok && !id.IsEmpty;
    }

    /// <summary>The gateway id's UTF-8 (the record's second field).</summary>
    public static ReadOnlySpan<byte> GatewayIdOf(ReadOnlySpan<byte> record)
    {
        var r = new LogEntryReader(record);
        r.Bytes();
        return r.Bytes();
    }

    /// <summary>The record of a Row entry this process encoded (<see cref="EncodeRow"/>; no CRC check); empty when malformed.</summary>
    public static ReadOnlySpan<byte> RecordOfRow(ReadOnlySpan<byte> entry)
        => TryLocateRecord(entry, out var offset, out var length) ? entry.Slice(offset, length) : default;

    /// <summary>Where the record of a Row entry this process encoded is.</summary>
    public static bool TryLocateRecord(ReadOnlySpan<byte> entry, out int offset, out int length)
    {
        offset = HeaderSize + 4;
        length = 0;
        if (entry.Length < HeaderSize + 4 + CrcSize || entry[0] != Magic || entry[1] != Version || entry[2] != (byte)LogRecordKind.Row)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(entry[HeaderSize..]);
        return (uint)length <= (uint)(entry.Length - HeaderSize - 4 - CrcSize);
    }

    /// <summary>Reads the ids of a Delete or DeleteAt entry (<paramref name="kind"/>), with their rows' addresses when it has them.</summary>
    public static bool TryReadDelete(ReadOnlySpan<byte> body, LogRecordKind kind, LogIdList ids)
    {
        var r = new LogEntryReader(body);
        var count = r.Int32();
        for (var i = 0; i < count && r.Ok; i++)
        {
            var address = kind == LogRecordKind.DeleteAt ? r.Int64() : LogIdList.UnknownAddress;
            var id = r.NullableBytes(out var isNull);
            if (r.Ok && !isNull)
            {
                ids.Add(id, address);
            }
        }

        return r.End() && count >= 0;
    }

    /// <summary>CRC-32C with the hardware instruction, eight bytes at a time.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    private static int Max(string? value) => value is null ? 0 : Encoding.UTF8.GetMaxByteCount(value.Length);

    // An extension is written only when its value is set: tag, length, UTF-8.
    private static int MaxExtension(string? value) => value is null ? 0 : 1 + 4 + Max(value);

    private static void WriteRecord(ref SpanWriter w, in LogRowFields r)
    {
        w.String(r.Id);
        w.String(r.GatewayId);
        w.Int64(r.CreatedAtUnixMs);
        w.String(r.Provider);
        w.String(r.Model);
        w.String(r.ModelType);
        w.String(r.Path);
        w.String(r.RequestType);
        w.Bool(r.Success);
        w.Bool(r.Cached);
        w.Int32(r.StatusCode);
        w.Int32(r.Duration);
        w.NullableInt32(r.TimeToFirstTokenMs);
        w.NullableInt32(r.TokensIn);
        w.NullableInt32(r.TokensOut);
        w.Bool(r.TokensEstimated);
        w.NullableDouble(r.Cost);
        w.Bool(r.CustomCost);
        w.String(r.Metadata);
        w.Int32(r.Step);
        w.String(r.EventId);
        w.String(r.RequestContentType);
        w.String(r.ResponseContentType);
        w.Int64(r.RequestSize);
        w.Int64(r.ResponseSize);
        w.Bool(r.BodiesKept);
        w.Int32(r.Feedback);
        w.NullableDouble(r.Score);
        w.Bool(r.Authentication);
        w.String(r.UserAgent);
        w.String(r.DlpAction);

        // Version 2 extensions: each new optional field as tag + string, only when set (MaxRecordSize counts the same).
        w.Extension(LogRecordExtension.TeamId, r.TeamId);
        w.Extension(LogRecordExtension.TeamName, r.TeamName);
        w.Extension(LogRecordExtension.SessionId, r.SessionId);
        w.Extension(LogRecordExtension.GuardrailFlags, r.GuardrailFlags);
    }

    private static LogRecord? ReadRecord(ref LogEntryReader r, byte version, LogStringCache? s, bool withIds)
    {
        var id = withIds ? r.String() : (r.Bytes().IsEmpty ? null : "");
        var gatewayId = r.String(s, LogStringCache.GatewayId);
        var record = new LogRecord
        {
            Id = id ?? "",
            GatewayId = gatewayId ?? "",
            CreatedAtUnixMs = r.Int64(),
            Provider = r.String(s, LogStringCache.Provider) ?? "",
            Model = r.String(s, LogStringCache.Model) ?? "",
            ModelType = r.String(s, LogStringCache.ModelType) ?? "",
            Path = r.String(s, LogStringCache.Path) ?? "",
            RequestType = r.String(s, LogStringCache.RequestType) ?? "",
            Success = r.Bool(),
            Cached = r.Bool(),
            StatusCode = r.Int32(),
            Duration = r.Int32(),
            TimeToFirstTokenMs = r.NullableInt32(),
            TokensIn = r.NullableInt32(),
            TokensOut = r.NullableInt32(),
            TokensEstimated = r.Bool(),
            Cost = r.NullableDouble(),
            CustomCost = r.Bool(),
            Metadata = r.String(),
            Step = r.Int32(),
            EventId = r.String(),
            RequestContentType = r.String(s, LogStringCache.RequestContentType),
            ResponseContentType = r.String(s, LogStringCache.ResponseContentType),
            RequestSize = r.Int64(),
            ResponseSize = r.Int64(),
            BodiesKept = r.Bool(),
            Feedback = r.Int32(),
            Score = r.NullableDouble(),
            Authentication = r.Bool(),
            UserAgent = r.String(s, LogStringCache.UserAgent),
            DlpAction = r.String(s, LogStringCache.DlpAction),

            // Initializers run in order, so the extensions (the record's end) are read after every fixed field, straight
            // into this one record rather than into a copy made with `with`.
            TeamId = ReadExtensions(ref r, version, s, withIds, out var extensions),
            TeamName = extensions.TeamName,
            SessionId = extensions.SessionId,
            GuardrailFlags = extensions.GuardrailFlags,
        };

        return r.Ok && id is not null && (id.Length > 0 || !withIds) && !string.IsNullOrEmpty(gatewayId) ? record : null;
    }

    /// <summary>Reads a version 2 record's extensions to its end; returns the team id, the rest in <paramref name="extensions"/>.</summary>
    private static string? ReadExtensions(ref LogEntryReader r, byte version, LogStringCache? s, bool withIds, out Extensions extensions)
    {
        extensions = default;
        string? teamId = null;
        while (version >= 2 && r.Ok && r.Remaining > 0)
        {
            switch ((LogRecordExtension)r.Byte())
            {
                case LogRecordExtension.TeamId:
                    teamId = r.String(s, LogStringCache.TeamId);
                    break;
                case LogRecordExtension.TeamName:
                    extensions.TeamName = r.String(s, LogStringCache.TeamName);
                    break;
                case LogRecordExtension.SessionId:
                    // A new value every few rows: not worth a cache slot.
                    extensions.SessionId = withIds ? r.String() : SkipString(ref r);
                    break;
                case LogRecordExtension.GuardrailFlags:
                    extensions.GuardrailFlags = r.String(s, LogStringCache.GuardrailFlags);
                    break;
                default:
                    r.Bytes(); // a newer gateway's field: skipped
                    break;
            }
        }

        return teamId;
    }

    private static string? SkipString(ref LogEntryReader r)
    {
        r.NullableBytes(out var isNull);
        return isNull ? null : "";
    }

    private struct Extensions
    {
        public string? TeamName;
        public string? SessionId;
        public string? GuardrailFlags;
    }

    private ref struct SpanWriter(Span<byte> destination)
    {
        private readonly Span<byte> _span = destination;

        public int Position { get; private set; }

        public void Header(LogRecordKind kind)
        {
            _span[Position] = Magic;
            _span[Position + 1] = Version;
            _span[Position + 2] = (byte)kind;
            Position += HeaderSize;
        }

        public int Reserve(int length)
        {
            var at = Position;
            Position += length;
            return at;
        }

        public void Bool(bool value) => _span[Position++] = value ? (byte)1 : (byte)0;

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_span[Position..], value);
            Position += 4;
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_span[Position..], value);
            Position += 8;
        }

        public void NullableInt32(int? value)
        {
            Bool(value.HasValue);
            if (value is { } v)
            {
                Int32(v);
            }
        }

        public void NullableDouble(double? value)
        {
            Bool(value.HasValue);
            if (value is { } v)
            {
                Int64(BitConverter.DoubleToInt64Bits(v));
            }
        }

        public void String(string? value)
        {
            if (value is null)
            {
                Int32(-1);
                return;
            }

            var written = Encoding.UTF8.GetBytes(value, _span[(Position + 4)..]);
            Int32(written);
            Position += written;
        }

        /// <summary>A version 2 extension: nothing when <paramref name="value"/> is null, else its tag and the string.</summary>
        public void Extension(LogRecordExtension tag, string? value)
        {
            if (value is not null)
            {
                _span[Position++] = (byte)tag;
                String(value);
            }
        }

        public void Section(LogRowSection tag, ReadOnlySpan<byte> value)
        {
            _span[Position++] = (byte)tag;
            Bytes(value);
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            Int32(value.Length);
            value.CopyTo(_span[Position..]);
            Position += value.Length;
        }

        /// <summary>The <see cref="LogRowSection.ResponseBlocks"/> section of <paramref name="capture"/>.</summary>
        public void Blocks(BodyCapture capture)
        {
            _span[Position++] = (byte)LogRowSection.ResponseBlocks;
            var length = LogResponseBlocks.Write(_span[(Position + 4)..], capture);
            Int32(length);
            Position += length;
        }

        public void Bytes(BodyCapture value)
        {
            Int32(value.Length);
            value.CopyTo(_span[Position..]);
            Position += value.Length;
        }

        /// <summary>Appends the CRC of everything written and returns the entry's length.</summary>
        public int Crc()
        {
            var crc = Crc32C(_span[..Position]);
            BinaryPrimitives.WriteUInt32LittleEndian(_span[Position..], crc);
            Position += CrcSize;
            return Position;
        }
    }
}
