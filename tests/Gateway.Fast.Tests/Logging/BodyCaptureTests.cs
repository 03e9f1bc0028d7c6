using Gateway.Fast.Logging;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>The log body of a response, kept in pooled blocks as it streams and copied whole into the log row.</summary>
public sealed class BodyCaptureTests
{
    [Fact]
    public void AStreamArrivingAnEventAtATime_ReadsBackWhole()
    {
        var capture = new BodyCapture();
        var expected = new List<byte>();
        for (int i = 0; i < 100; i++) // 100 events of 97 bytes: about 9.5 KB, three blocks
        {
            byte[] evt = System.Text.Encoding.ASCII.GetBytes($"data: {{\"i\":{i:D3},\"delta\":\"{new string((char)('a' + (i % 26)), 70)}\"}}\n\n");
            capture.Append(evt);
            expected.AddRange(evt);
        }

        Assert.Equal(expected.ToArray(), capture.ToArray());
        Assert.Equal(expected.Count, capture.TotalBytes);
        Assert.False(capture.Truncated);
    }

    [Fact]
    public void AppendingAfterACopy_IsInTheNextCopy()
    {
        var capture = new BodyCapture();
        capture.Append(new byte[5000]);
        capture.Append("ab"u8);
        Assert.Equal(5002, capture.ToArray().Length);

        capture.Append("cd"u8);

        var read = capture.ToArray();
        Assert.Equal(5004, read.Length);
        Assert.True(read.AsSpan()[^4..].SequenceEqual("abcd"u8));
    }

    [Fact]
    public void CopyTo_WritesTheBlocksInOrderAndLeavesTheRestOfTheDestination()
    {
        var capture = new BodyCapture();
        for (int i = 0; i < 3; i++) // 3 × 3,000 bytes: the second chunk spans the first block's end
        {
            capture.Append(Enumerable.Repeat((byte)('a' + i), 3000).ToArray());
        }

        var destination = new byte[capture.Length + 2];
        destination.AsSpan()[^2..].Fill(0xEE);
        capture.CopyTo(destination);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(destination.AsSpan(i * 3000, 3000).IndexOfAnyExcept((byte)('a' + i)) < 0);
        }

        Assert.Equal([0xEE, 0xEE], destination[^2..]);
        Assert.Throws<ArgumentOutOfRangeException>(() => capture.CopyTo(new byte[capture.Length - 1]));
    }

    [Fact]
    public void ARowEncodedFromTheCapture_IsTheRowOfItsBytes()
    {
        var capture = new BodyCapture();
        for (int i = 0; i < 40; i++) // about 10 KB in three blocks
        {
            capture.Append(System.Text.Encoding.ASCII.GetBytes($"data: {{\"i\":{i},\"delta\":\"{new string('x', 230)}\"}}\n\n"));
        }

        var fields = LogRowFields.From(Row("g", 3));
        var fromBlocks = LogRecordCodec.EncodeCapturedRow(in fields, "request"u8, capture, "headers"u8);
        var fromBytes = LogRecordCodec.EncodeRow(in fields, "request"u8, capture.ToArray(), "headers"u8);
        try
        {
            Assert.True(fromBlocks.Entry.SequenceEqual(fromBytes.Entry));
            Assert.Equal("g", fromBlocks.GatewayId);
        }
        finally
        {
            fromBlocks.Return();
            fromBytes.Return();
        }
    }

    [Fact]
    public void AStreamsFullBlocks_AreHeldCompressedAndReadBackWhole()
    {
        var capture = new BodyCapture { CompressFullBlocks = true };
        var expected = new List<byte>();
        for (int i = 0; i < 200; i++) // an OpenAI stream of 200 tokens: about 36 KB, nine blocks
        {
            byte[] evt = System.Text.Encoding.ASCII.GetBytes(
                $"data: {{\"id\":\"chatcmpl-42\",\"object\":\"chat.completion.chunk\",\"created\":1733500000,\"model\":\"gpt-4o-mini\"," +
                $"\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" word{i}\"}},\"finish_reason\":null}}]}}\n\n");
            capture.Append(evt);
            expected.AddRange(evt);
        }

        Assert.Equal(expected.ToArray(), capture.ToArray());
        Assert.Equal(expected.Count, capture.Length);
        Assert.True(capture.HeldBytes < expected.Count / 3, $"{capture.HeldBytes} bytes held for a {expected.Count}-byte body");
    }

    [Fact]
    public void APlainBody_IsNotCompressed()
    {
        var capture = new BodyCapture();
        for (int i = 0; i < 10; i++)
        {
            capture.Append(Enumerable.Repeat((byte)'a', 1000).ToArray());
        }

        Assert.Equal(2 * 4096 + 2048, capture.HeldBytes); // two full blocks, and 1,808 bytes in a last block grown to 2 KiB
    }

    [Theory]
    [InlineData(0, 512)]
    [InlineData(1, 512)]
    [InlineData(512, 512)]
    [InlineData(513, 1024)]
    [InlineData(1500, 2048)]
    [InlineData(2049, 4096)]
    [InlineData(4096, 4096)]
    public void AWaitingStreamsLastBlock_HoldsOnlyThePowerOfTwoItNeeds(int bytes, int held)
    {
        var capture = new BodyCapture { CompressFullBlocks = true };
        for (int i = 0; i < Math.Max(1, bytes); i++) // a byte at a time: the block grows only as far as it must
        {
            capture.Append("x"u8);
        }

        Assert.Equal(held, capture.HeldBytes);
        Assert.Equal(Math.Max(1, bytes), capture.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BodiesOfEverySize_ReadBackWholeAndCompressedBlocksDecodeToABlock(bool compress)
    {
        // Sizes around each growth step and block edge, appended in pieces that do and do not line up with them.
        int[] sizes = [1, 511, 512, 513, 1023, 1025, 2047, 2049, 4095, 4096, 4097, 6000, 8191, 8192, 8193, 12_289, 20_000];
        int[] pieces = [1, 7, 100, 600, 3000, 5000];
        foreach (int size in sizes)
        {
            foreach (int piece in pieces)
            {
                var capture = new BodyCapture { CompressFullBlocks = compress };
                byte[] body = new byte[size];
                for (int i = 0; i < size; i++)
                {
                    body[i] = (byte)('a' + (i / 64 % 26)); // runs that LZ4 shrinks
                }

                for (int at = 0; at < size; at += piece)
                {
                    capture.Append(body.AsSpan(at, Math.Min(piece, size - at)));
                }

                Assert.Equal(body, capture.ToArray());
                int held = 0;
                for (int i = 0; i < capture.SegmentCount; i++)
                {
                    var segment = capture.HeldSegment(i, out bool compressed);
                    held += compressed ? BodyCapture.BlockSize : segment.Length;
                    if (compressed)
                    {
                        byte[] decoded = new byte[BodyCapture.BlockSize];
                        Assert.Equal(BodyCapture.BlockSize, K4os.Compression.LZ4.LZ4Codec.Decode(segment, decoded));
                    }
                    else if (i < capture.SegmentCount - 1)
                    {
                        Assert.True(segment.Length >= BodyCapture.BlockSize, $"size {size}, piece {piece}: a raw middle piece of {segment.Length}");
                    }
                }

                Assert.Equal(size, held);
                if (!compress)
                {
                    Assert.False(capture.HasCompressedBlocks);
                }
                else if (size > BodyCapture.BlockSize && piece <= BodyCapture.BlockSize)
                {
                    Assert.True(capture.HasCompressedBlocks, $"size {size}, piece {piece}: a full block was not compressed");
                }
            }
        }
    }

    [Fact]
    public void FullBlocksThatDoNotShrink_AreKeptAsTheyAre()
    {
        var capture = new BodyCapture { CompressFullBlocks = true };
        byte[] body = new byte[20_000];
        Random.Shared.NextBytes(body);
        for (int at = 0; at < body.Length; at += 500)
        {
            capture.Append(body.AsSpan(at, 500));
        }

        Assert.Equal(body, capture.ToArray());
        Assert.Equal(5 * 4096, capture.HeldBytes);
    }

    [Fact]
    public void ARowEncodedFromACompressedCapture_KeepsTheBlocksAndReadsBackItsBytes()
    {
        var capture = new BodyCapture { CompressFullBlocks = true };
        var expected = new List<byte>();
        for (int i = 0; i < 60; i++) // about 15 KB: three compressed blocks and a partial one
        {
            byte[] evt = System.Text.Encoding.ASCII.GetBytes($"data: {{\"i\":{i},\"delta\":\"{new string((char)('a' + (i % 26)), 230)}\"}}\n\n");
            capture.Append(evt);
            expected.AddRange(evt);
        }

        var fields = LogRowFields.From(Row("g", 3));
        var fromBlocks = LogRecordCodec.EncodeCapturedRow(in fields, "request"u8, capture, "headers"u8);
        var fromBytes = LogRecordCodec.EncodeRow(in fields, "request"u8, expected.ToArray(), "headers"u8);
        try
        {
            Assert.True(LogRecordCodec.TryOpen(fromBlocks.Entry, out _, out var version, out var body));
            Assert.True(LogRecordCodec.TryReadRow(body, version, out var record, out var request, out var response, out var headers, out var blocks));
            Assert.True(record.SequenceEqual(LogRecordCodec.RecordOfRow(fromBytes.Entry)));
            Assert.True(request.SequenceEqual("request"u8));
            Assert.True(headers.SequenceEqual("headers"u8));
            Assert.True(response.IsEmpty);
            Assert.True(LogResponseBlocks.TryDecode(blocks, out var decoded));
            Assert.Equal(expected.ToArray(), decoded);
            Assert.True(fromBlocks.Length < fromBytes.Length / 2, $"{fromBlocks.Length} bytes stored for a {fromBytes.Length}-byte row");
        }
        finally
        {
            fromBlocks.Return();
            fromBytes.Return();
        }
    }

    [Fact]
    public void Reset_TurnsCompressionOffForTheNextRequest()
    {
        var capture = new BodyCapture { CompressFullBlocks = true };
        capture.Append(new byte[9000]);

        capture.Reset();
        for (int i = 0; i < 9; i++)
        {
            capture.Append(new byte[1000]);
        }

        Assert.False(capture.CompressFullBlocks);
        Assert.Equal(2 * 4096 + 1024, capture.HeldBytes); // two full blocks kept raw, 808 bytes in a last block of 1 KiB
        Assert.Equal(new byte[9000], capture.ToArray());
    }

    [Fact]
    public void AWholeBodyInOnePiece_IsKeptAsIs()
    {
        var capture = new BodyCapture();
        byte[] body = new byte[100_000];
        Random.Shared.NextBytes(body);

        capture.Append(body);

        Assert.Equal(body, capture.ToArray());
    }

    [Fact]
    public void ABodyPastTheLimit_IsKeptTruncatedAndFlagged()
    {
        var capture = new BodyCapture();
        byte[] chunk = new byte[1024 * 1024];
        for (int i = 0; i < 11; i++)
        {
            chunk.AsSpan().Fill((byte)i);
            capture.Append(chunk);
        }

        Assert.True(capture.Truncated);
        Assert.Equal(11L * chunk.Length, capture.TotalBytes);
        var kept = capture.ToArray();
        Assert.Equal(BodyCapture.MaxBytes, kept.Length);
        Assert.Equal(9, kept[^1]); // the tenth megabyte is the last kept
    }

    [Fact]
    public void Reset_EmptiesTheCaptureForTheNextRequest()
    {
        var capture = new BodyCapture();
        capture.Append(new byte[9000]);

        capture.Reset();
        capture.Append("next"u8);

        Assert.True(capture.ToArray().AsSpan().SequenceEqual("next"u8));
        Assert.Equal(4, capture.TotalBytes);
    }

    [Fact]
    public void NothingAppended_ReadsEmpty()
    {
        var capture = new BodyCapture();

        Assert.Equal(0, capture.Length);
        Assert.Empty(capture.ToArray());
        Assert.False(capture.Truncated);
    }
}
