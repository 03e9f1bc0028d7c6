using Gateway.Fast.Logging;

namespace Gateway.Fast.Tests.Logging;

/// <summary>The log body of a response, kept in pooled blocks as it streams and read back whole for the log row.</summary>
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

        Assert.Equal(expected.ToArray(), capture.Memory.ToArray());
        Assert.Equal(expected.Count, capture.TotalBytes);
        Assert.False(capture.Truncated);
    }

    [Fact]
    public void AppendingAfterARead_IsInTheNextRead()
    {
        var capture = new BodyCapture();
        capture.Append(new byte[5000]);
        capture.Append("ab"u8);
        Assert.Equal(5002, capture.Memory.Length);

        capture.Append("cd"u8);

        var read = capture.Memory.Span;
        Assert.Equal(5004, read.Length);
        Assert.True(read[^4..].SequenceEqual("abcd"u8));
    }

    [Fact]
    public void AWholeBodyInOnePiece_IsKeptAsIs()
    {
        var capture = new BodyCapture();
        byte[] body = new byte[100_000];
        Random.Shared.NextBytes(body);

        capture.Append(body);

        Assert.Equal(body, capture.Memory.ToArray());
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
        var kept = capture.Memory.Span;
        Assert.Equal(BodyCapture.MaxBytes, kept.Length);
        Assert.Equal(9, kept[^1]); // the tenth megabyte is the last kept
    }

    [Fact]
    public void Reset_EmptiesTheCaptureForTheNextRequest()
    {
        var capture = new BodyCapture();
        capture.Append(new byte[9000]);
        _ = capture.Memory;

        capture.Reset();
        capture.Append("next"u8);

        Assert.True(capture.Memory.Span.SequenceEqual("next"u8));
        Assert.Equal(4, capture.TotalBytes);
    }

    [Fact]
    public void NothingAppended_ReadsEmpty()
    {
        var capture = new BodyCapture();

        Assert.True(capture.Memory.IsEmpty);
        Assert.False(capture.Truncated);
    }
}
