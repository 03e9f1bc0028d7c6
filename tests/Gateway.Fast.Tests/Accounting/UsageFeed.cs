using Gateway.Fast.Accounting;

namespace Gateway.Fast.Tests.Accounting;

/// <summary>How a body reaches the reader: whole, one byte per Append (Kestrel's prefixes), or at seeded random splits.</summary>
public enum Split
{
    Whole,
    OneByte,
    Random1,
    Random2,
    Random3,
}

internal static class UsageFeed
{
    public static readonly TheoryData<Split> AllSplits = new() { Split.Whole, Split.OneByte, Split.Random1, Split.Random2, Split.Random3 };

    public static Usage Read(UsageWireFormat format, byte[] body, Split split, bool captureText = true)
    {
        using var reader = new UsageReader(format, captureText);
        Feed(reader, body, split);
        Assert.Equal(body.Length, reader.BytesSeen);
        return reader.Complete();
    }

    public static void Feed(UsageReader reader, byte[] body, Split split)
    {
        switch (split)
        {
            case Split.Whole:
                reader.Append(body);
                return;
            case Split.OneByte:
                for (int i = 0; i < body.Length; i++)
                {
                    reader.Append(body.AsSpan(i, 1));
                }

                return;
            default:
                var random = new Random(1000 + (int)split); // seeded: a failure names its split and replays
                int at = 0;
                while (at < body.Length)
                {
                    int n = Math.Min(body.Length - at, random.Next(0, 40));
                    reader.Append(body.AsSpan(at, n)); // zero-length appends included on purpose
                    at += n;
                }

                return;
        }
    }
}
