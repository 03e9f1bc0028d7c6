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
