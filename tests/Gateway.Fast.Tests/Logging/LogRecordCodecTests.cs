using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Gateway.Fast.Logging;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

public sealed class LogRecordCodecTests
{
    [Fact]
    public void EncodedRow_DecodesToTheSameRecordAndBodies()
    {
        var record = Row("g", 7);
        var fields = LogRowFields.From(record);
        var row = LogRecordCodec.EncodeRow(in fields, "request ü"u8, "response"u8);
        try
        {
            Assert.Equal("g", row.GatewayId);
            Assert.True(LogRecordCodec.TryOpen(row.Entry, out var kind, out var version, out var body));
            Assert.Equal(LogRecordKind.Row, kind);
            Assert.Equal(LogRecordCodec.Version, version);
            Assert.True(LogRecordCodec.TryReadRow(body, version, out var encoded, out var request, out var response));
            Assert.Equal(record, LogRecordCodec.ReadRecord(encoded, version));
            Assert.Equal("request ü", Encoding.UTF8.GetString(request));
            Assert.Equal("response", Encoding.UTF8.GetString(response));
            Assert.True(encoded.SequenceEqual(LogRecordCodec.RecordOfRow(row.Entry)));
            Assert.True(LogRecordCodec.TryReadHead(encoded, out var id, out var createdAt));
            Assert.Equal("g-000007", Encoding.UTF8.GetString(id));
            Assert.Equal(record.CreatedAtUnixMs, createdAt);
        }
        finally
        {
            row.Return();
        }
    }

    [Fact]
    public void Version1Row_IsStillRead()
    {
        // A version 1 row is the same record without the length prefix (and without extensions).
        var record = Row("g", 1) with { Metadata = null, Score = 0.5 };
        var fields = LogRowFields.From(record);
        var recordBytes = new byte[LogRecordCodec.MaxRecordSize(in fields)];
        var length = LogRecordCodec.WriteRecord(recordBytes, in fields);
        var v1 = new ArrayBufferWriter<byte>();
        v1.Write<byte>([LogRecordCodec.Magic, 1, (byte)LogRecordKind.Row]);
        v1.Write(recordBytes.AsSpan(0, length));
        WriteBytes(v1, "req"u8);
        WriteBytes(v1, "resp"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(v1.GetSpan(4), LogRecordCodec.Crc32C(v1.WrittenSpan));
        v1.Advance(4);

        Assert.True(LogRecordCodec.TryOpen(v1.WrittenSpan, out var kind, out var version, out var body));
        Assert.Equal((LogRecordKind.Row, (byte)1), (kind, version));
        Assert.True(LogRecordCodec.TryReadRow(body, version, out var encoded, out var request, out var response));
        Assert.Equal(record, LogRecordCodec.ReadRecord(encoded, version));
        Assert.Equal("req", Encoding.UTF8.GetString(request));
        Assert.Equal("resp", Encoding.UTF8.GetString(response));
    }

    [Fact]
    public void UnknownExtension_IsSkipped_SoANewerGatewaysRowsStayReadable()
    {
        var record = Row("g", 2);
        var fields = LogRowFields.From(record);
        var bytes = new byte[LogRecordCodec.MaxRecordSize(in fields) + 16];
        var length = LogRecordCodec.WriteRecord(bytes, in fields);
        bytes[length] = 200; // a tag this build does not know, with 3 bytes of value
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(length + 1), 3);
        "abc"u8.CopyTo(bytes.AsSpan(length + 5));

        Assert.Equal(record, LogRecordCodec.ReadRecord(bytes.AsSpan(0, length + 8), LogRecordCodec.Version));
        Assert.Null(LogRecordCodec.ReadRecord(bytes.AsSpan(0, length + 7), LogRecordCodec.Version)); // cut inside the extension
    }

    [Fact]
    public void TeamSessionAndGuardrailFields_RoundTripAsExtensions()
    {
        var record = Row("g", 4) with
        {
            DlpAction = "FLAG", TeamId = "team-7", TeamName = "Équipe ü", SessionId = "abc-123", GuardrailFlags = "S11,P1,custom:name",
        };
        var fields = LogRowFields.From(record);
        var row = LogRecordCodec.EncodeRow(in fields, "req"u8, default);
        try
        {
            Assert.True(LogRecordCodec.TryOpen(row.Entry, out _, out var version, out var body));
            Assert.True(LogRecordCodec.TryReadRow(body, version, out var encoded, out _, out _));
            Assert.Equal(record, LogRecordCodec.ReadRecord(encoded, version));
            Assert.Equal(record, LogRecordCodec.ReadRecord(encoded, version, new LogStringCache()));
            Assert.True(row.Length <= LogRecordCodec.MaxRowSize(in fields, 3, 0));
        }
        finally
        {
            row.Return();
        }
    }

    [Theory]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, false, false, true)]
    public void EachExtension_RoundTripsAlone_AndAnUnsetOneCostsNoByte(bool team, bool name, bool session, bool flags)
    {
        var bare = Row("g", 6);
        var record = bare with
        {
            TeamId = team ? "t" : null, TeamName = name ? "n" : null, SessionId = session ? "s" : null, GuardrailFlags = flags ? "f" : null,
        };

        var length = WriteRecord(record, out var bytes);

        Assert.Equal(WriteRecord(bare, out _) + 1 + 4 + 1, length); // one tag, one length, one byte of value
        Assert.Equal(record, LogRecordCodec.ReadRecord(bytes.AsSpan(0, length), LogRecordCodec.Version));
        Assert.Null(LogRecordCodec.ReadRecord(bytes.AsSpan(0, length - 1), LogRecordCodec.Version)); // cut inside the value
    }

    [Fact]
    public void Version2RowWrittenBeforeTheExtensions_DecodesWithThemNull()
    {
        // Row("g", 5) with dlp_action FLAG as the store wrote it before team, session and guardrail fields existed:
        // the fixed fields, ending with dlp_action, and nothing after.
        var old = Convert.FromHexString(
        "08000000672D30303030303501000000670068E5CF8B010000060000006F70656E61690B0000006770742D346F2D6D69"
        + "6E69040000006368617410000000636861742F636F6D706C6574696F6E730800000070726F76696465720100C8000000"
        + "7D0000000128000000010F00000001140000000101613255302AA9533F000D0000007B2275736572223A22C3BC227D00"
        + "000000050000006576742D35100000006170706C69636174696F6E2F6A736F6E11000000746578742F6576656E742D73"
        + "747265616D2C0100000000000084030000000000000100000000000005000000746573747304000000464C4147");

        var decoded = LogRecordCodec.ReadRecord(old, LogRecordCodec.Version);

        Assert.Equal(Row("g", 5) with { DlpAction = "FLAG" }, decoded);
        Assert.Null(decoded!.TeamId);
        Assert.Null(decoded.SessionId);
        Assert.Null(decoded.GuardrailFlags);
        Assert.Equal(old.Length, WriteRecord(decoded, out _)); // and such a row is still written the same
    }

    [Fact]
    public void KnownAndUnknownExtensions_Mix_InAnyOrder()
    {
        var record = Row("g", 8) with { TeamId = "t-1", SessionId = "s-1" };
        var length = WriteRecord(record with { TeamId = null }, out var bytes);
        var writer = new ArrayBufferWriter<byte>();
        writer.Write(bytes.AsSpan(0, length));
        writer.Write<byte>([201]); // a newer gateway's tag, then ours
        WriteBytes(writer, "x"u8);
        writer.Write<byte>([(byte)LogRecordExtension.TeamId]);
        WriteBytes(writer, "t-1"u8);

        Assert.Equal(record, LogRecordCodec.ReadRecord(writer.WrittenSpan, LogRecordCodec.Version));
    }

    private static int WriteRecord(LogRecord record, out byte[] bytes)
    {
        var fields = LogRowFields.From(record);
        bytes = new byte[LogRecordCodec.MaxRecordSize(in fields)];
        return LogRecordCodec.WriteRecord(bytes, in fields);
    }

    [Fact]
    public void Sums_HaveTheColumnsTheRollupAndFiltersRead()
    {
        var record = Row("g", 5) with
        {
            SessionId = "session-1", TeamId = "team-a", TeamName = "Team A", GuardrailFlags = "pii",
            Metadata = "{\"k\":\"v\"}", EventId = "e-1", TimeToFirstTokenMs = 12, Cost = 0.25,
        };
        var length = WriteRecord(record, out var bytes);

        var strings = new LogStringCache();
        Assert.True(LogRecordCodec.TryReadSums(bytes.AsSpan(0, length), strings, out var sums));
        Assert.Equal(LogRowSums.Of(record), sums);
        Assert.Equal(record, LogRecordCodec.ReadRecord(bytes.AsSpan(0, length), LogRecordCodec.Version, strings));

        // Nullable columns left null read back as null; a record without an id or cut short is refused as by the whole decode.
        var plain = Row("g", 6) with
        {
            UserAgent = null, EventId = null, RequestContentType = null, Metadata = null, TimeToFirstTokenMs = null, TokensIn = null,
            Cost = null,
        };
        length = WriteRecord(plain, out bytes);
        Assert.True(LogRecordCodec.TryReadSums(bytes.AsSpan(0, length), strings, out sums));
        Assert.Equal(LogRowSums.Of(plain), sums);
        Assert.Null(sums.TeamId);
        Assert.Null(sums.TokensIn);
        Assert.False(LogRecordCodec.TryReadSums(bytes.AsSpan(0, length - 1), strings, out _));
        length = WriteRecord(plain with { Id = "" }, out bytes);
        Assert.False(LogRecordCodec.TryReadSums(bytes.AsSpan(0, length), strings, out _));
        Assert.Null(LogRecordCodec.ReadRecord(bytes.AsSpan(0, length), LogRecordCodec.Version));
    }

    [Fact]
    public void DamagedRow_FailsTheCrc()
    {
        var fields = LogRowFields.From(Row("g", 3));
        var row = LogRecordCodec.EncodeRow(in fields, "abc"u8, default);
        try
        {
            row.Buffer[row.Length / 2] ^= 0x20;
            Assert.False(LogRecordCodec.TryOpen(row.Entry, out _, out _, out _));
        }
        finally
        {
            row.Return();
        }
    }

    private static void WriteBytes(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value.Length);
        writer.Advance(4);
        writer.Write(value);
    }
}
