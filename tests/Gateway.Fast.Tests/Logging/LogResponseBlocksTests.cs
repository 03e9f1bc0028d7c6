using System.Buffers.Binary;
using System.Text;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>A stream's response body stored in its row as the capture held it: compressed blocks as they are, decoded on read.</summary>
public sealed class LogResponseBlocksTests : IDisposable
{
    private const int Block = 4096;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Three compressible blocks, one of random bytes (kept raw), a chunk larger than a block (its own raw piece),
    /// then a partial block.</summary>
    private static (BodyCapture Capture, byte[] Body) MixedCapture()
    {
        var capture = new BodyCapture { CompressFullBlocks = true };
        var body = new List<byte>();
        void Append(ReadOnlySpan<byte> chunk, int step)
        {
            for (int at = 0; at < chunk.Length; at += step)
            {
                var piece = chunk[at..Math.Min(chunk.Length, at + step)];
                capture.Append(piece);
                body.AddRange(piece.ToArray());
            }
        }

        Append(SseText(3 * Block), 300);
        var noise = new byte[Block];
        new Random(7).NextBytes(noise);
        Append(noise, 500);
        Append(SseText(2 * Block), 2 * Block); // one Append: a piece of its own, never compressed
        Append(SseText(1000), 97);
        return (capture, body.ToArray());
    }

    private static byte[] SseText(int length)
    {
        var text = new StringBuilder();
        for (int i = 0; text.Length < length; i++)
        {
            text.Append($"data: {{\"id\":\"chatcmpl-7\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" word{i}\"}}}}]}}\n\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    private static LogRowBuffer Encode(BodyCapture capture, string id = "g-000003")
    {
        var fields = LogRowFields.From(Row("g", 3) with { Id = id });
        return LogRecordCodec.EncodeCapturedRow(in fields, "request"u8, capture, "headers"u8);
    }

    [Fact]
    public void ACaptureWithCompressedRawLargeAndPartialPieces_RoundTripsThroughItsRow()
    {
        var (capture, body) = MixedCapture();
        var kinds = new List<(bool Compressed, int Length)>();
        for (int i = 0; i < capture.SegmentCount; i++)
        {
            int length = capture.HeldSegment(i, out bool compressed).Length;
            kinds.Add((compressed, length));
        }

        Assert.Equal([true, true, true, false, false, false], kinds.Select(k => k.Compressed));
        Assert.Equal([Block, 2 * Block, 1000], kinds.Skip(3).Select(k => k.Length));

        var row = Encode(capture);
        try
        {
            Assert.True(LogRecordCodec.TryOpen(row.Entry, out _, out var version, out var entryBody));
            Assert.True(LogRecordCodec.TryReadRow(entryBody, version, out var record, out var request, out var response, out var headers, out var blocks));
            Assert.Equal(Row("g", 3), LogRecordCodec.ReadRecord(record, version));
            Assert.True(request.SequenceEqual("request"u8));
            Assert.True(headers.SequenceEqual("headers"u8));
            Assert.True(response.IsEmpty);
            Assert.True(LogResponseBlocks.TryRead(blocks, out int length));
            Assert.Equal(body.Length, length);
            Assert.True(LogResponseBlocks.TryDecode(blocks, out var decoded));
            Assert.Equal(body, decoded);
            Assert.True(row.Length < body.Length, $"a {row.Length}-byte row for a {body.Length}-byte body");
        }
        finally
        {
            row.Return();
        }
    }

    [Fact]
    public void ACaptureWithoutCompressedBlocks_IsStoredAsBefore()
    {
        var capture = new BodyCapture { CompressFullBlocks = true };
        capture.Append(SseText(3000));
        var fields = LogRowFields.From(Row("g", 3));
        var captured = LogRecordCodec.EncodeCapturedRow(in fields, "request"u8, capture, "headers"u8);
        var plain = LogRecordCodec.EncodeRow(in fields, "request"u8, SseText(3000), "headers"u8);
        try
        {
            Assert.True(captured.Entry.SequenceEqual(plain.Entry));
        }
        finally
        {
            captured.Return();
            plain.Return();
        }
    }

    [Fact]
    public void AnLz4SegmentThatDoesNotDecodeToItsBlock_IsRefusedWhenRead()
    {
        var blocks = BlocksOf(MixedCapture().Capture);

        // The first segment one byte short, framed consistently: its framing passes, its decoding does not.
        var shortened = Reframe(blocks, 0, data => data[..^1]);
        Assert.True(LogResponseBlocks.TryRead(shortened, out _));
        Assert.False(LogResponseBlocks.TryDecode(shortened, out _));

        // The first segment's first token claims more literals than it holds.
        var damaged = Reframe(blocks, 0, data =>
        {
            var copy = data.ToArray();
            copy[0] = 0xFF;
            copy[1] = 0xFF;
            return copy;
        });
        Assert.False(LogResponseBlocks.TryRead(damaged, out _) && LogResponseBlocks.TryDecode(damaged, out _));
    }

    [Fact]
    public void BlocksWhoseFramingDoesNotAddUp_MakeTheRowMalformed()
    {
        var blocks = BlocksOf(MixedCapture().Capture);

        var wrongLength = blocks.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(wrongLength, BinaryPrimitives.ReadInt32LittleEndian(wrongLength) + 1);
        var unknownKind = blocks.ToArray();
        unknownKind[4] = 9;
        var overlong = blocks.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(overlong.AsSpan(5), blocks.Length);
        var tooLarge = Reframe(blocks, 0, _ => new byte[LZ4Bound() + 1]);
        var empty = Reframe(blocks, 0, _ => []);
        var truncated = blocks[..^1];

        foreach (var bad in new[] { wrongLength, unknownKind, overlong, tooLarge, empty, truncated })
        {
            Assert.False(LogResponseBlocks.TryRead(bad, out _));
            Assert.False(LogRecordCodec.TryReadRow(RowBody(bad), LogRecordCodec.Version, out _, out _, out _, out _, out _));
        }

        Assert.True(LogRecordCodec.TryReadRow(RowBody(blocks), LogRecordCodec.Version, out _, out _, out _, out _, out _));
        Assert.False(LogRecordCodec.TryReadRow(RowBody(blocks, response: "also"u8.ToArray()), LogRecordCodec.Version, out _, out _, out _, out _, out _));
    }

    [Fact]
    public async Task TheStore_ServesTheDecodedBody_AndNoBodyForARowWhoseBlocksDoNotDecode()
    {
        var (capture, body) = MixedCapture();
        await using var store = FasterLogStore.Open(_dir.Path, Options());
        await store.AppendAsync(Encode(capture, "g-000001"), default);

        var shortened = Reframe(BlocksOf(capture), 0, data => data[..^1]);
        var damaged = RowBody(shortened, id: "g-000002");
        await store.AppendAsync(WithCrc(damaged), default);
        await store.FlushAsync(default);

        var served = await store.ReadBodyAsync("g-000001", LogBodyKind.Response, default);
        Assert.Equal(body, served!.Value.ToArray());
        Assert.Equal("headers", Encoding.UTF8.GetString((await store.ReadBodyAsync("g-000001", LogBodyKind.ResponseHeaders, default))!.Value.Span));
        Assert.Equal("request", Encoding.UTF8.GetString((await store.ReadBodyAsync("g-000001", LogBodyKind.Request, default))!.Value.Span));
        Assert.True(await store.RowEntryLengthAsync("g-000001", default) < body.Length);

        Assert.True(store.TryGet("g-000002", out _));
        Assert.Null(await store.ReadBodyAsync("g-000002", LogBodyKind.Response, default));
    }

    private static int LZ4Bound() => K4os.Compression.LZ4.LZ4Codec.MaximumOutputSize(Block);

    private static byte[] BlocksOf(BodyCapture capture)
    {
        var row = Encode(capture);
        try
        {
            Assert.True(LogRecordCodec.TryOpen(row.Entry, out _, out var version, out var body));
            Assert.True(LogRecordCodec.TryReadRow(body, version, out _, out _, out _, out _, out var blocks));
            return blocks.ToArray();
        }
        finally
        {
            row.Return();
        }
    }

    /// <summary>The section with segment <paramref name="index"/>'s bytes replaced, every length framed to match.</summary>
    private static byte[] Reframe(byte[] section, int index, Func<byte[], byte[]> change)
    {
        var output = new List<byte>(section.AsSpan(0, 4).ToArray());
        int at = 4;
        for (int i = 0; at < section.Length; i++)
        {
            byte kind = section[at];
            int length = BinaryPrimitives.ReadInt32LittleEndian(section.AsSpan(at + 1));
            var data = section.AsSpan(at + 5, length).ToArray();
            at += 5 + length;
            if (i == index)
            {
                data = change(data);
            }

            output.Add(kind);
            output.AddRange(BitConverter.GetBytes(data.Length));
            output.AddRange(data);
        }

        return output.ToArray();
    }

    /// <summary>The body of a version 2 Row entry carrying <paramref name="blocks"/> (and a response body slot).</summary>
    private static byte[] RowBody(byte[] blocks, byte[]? response = null, string id = "g-000003")
    {
        var fields = LogRowFields.From(Row("g", 3) with { Id = id });
        var record = new byte[LogRecordCodec.MaxRecordSize(in fields)];
        int recordLength = LogRecordCodec.WriteRecord(record, in fields);
        var body = new List<byte>();
        void Bytes(ReadOnlySpan<byte> value)
        {
            body.AddRange(BitConverter.GetBytes(value.Length));
            body.AddRange(value.ToArray());
        }

        Bytes(record.AsSpan(0, recordLength));
        Bytes("request"u8);
        Bytes(response ?? []);
        body.Add((byte)LogRowSection.ResponseBlocks);
        Bytes(blocks);
        return body.ToArray();
    }

    /// <summary>A Row entry around <paramref name="body"/>, with a valid CRC: a damaged body the CRC cannot catch.</summary>
    private static LogRowBuffer WithCrc(byte[] body)
    {
        var entry = new byte[3 + body.Length + 4];
        entry[0] = LogRecordCodec.Magic;
        entry[1] = LogRecordCodec.Version;
        entry[2] = (byte)LogRecordKind.Row;
        body.CopyTo(entry, 3);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(3 + body.Length), LogRecordCodec.Crc32C(entry.AsSpan(0, 3 + body.Length)));
        return new LogRowBuffer(entry, entry.Length, "g");
    }
}
