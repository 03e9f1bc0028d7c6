using System.Text;
using Gateway.Fast.Accounting;
using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Caching;

public sealed class CacheEntryTests
{
    private static HeaderDictionary UpstreamHeaders() => new()
    {
        ["Content-Type"] = "application/json",
        ["Content-Length"] = "17",
        ["Transfer-Encoding"] = "chunked",
        ["Connection"] = "keep-alive",
        ["Set-Cookie"] = "session=1",
        ["Date"] = "Mon, 01 Jan 2024 00:00:00 GMT",
        ["cf-aig-log-id"] = "01J",
        ["Server-Timing"] = "gateway;dur=1",
        ["openai-processing-ms"] = "42",
        ["x-request-id"] = new[] { "a", "b" },
        ["x-unicode"] = "héllo",
    };

    private static byte[] Sample() => CacheEntry.Create(200, UpstreamHeaders(), eventStream: false,
        """{"id":"chatcmpl"}"""u8, createdUnixMs: 1_000, expiresUnixMs: 61_000);

    private static List<(string Name, string Value)> HeadersOf(CachedResponse response)
    {
        var list = new List<(string, string)>();
        foreach (var h in response.Headers)
        {
            list.Add((Encoding.UTF8.GetString(h.Name), Encoding.UTF8.GetString(h.Value)));
        }

        return list;
    }

    [Fact]
    public void AnEntryRoundTripsStatusTimesFlagsHeadersAndBody()
    {
        var entry = Sample();
        Assert.True(CacheEntry.TryParse(entry, out var info));
        Assert.Equal(200, info.StatusCode);
        Assert.False(info.IsEventStream);
        Assert.Equal(1_000, info.CreatedUnixMs);
        Assert.Equal(61_000, info.ExpiresUnixMs);
        Assert.Equal("""{"id":"chatcmpl"}""", Encoding.UTF8.GetString(entry.AsSpan(info.BodyOffset, info.BodyLength)));

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(entry.Length);
        entry.CopyTo(buffer, 0);
        using var response = new CachedResponse(buffer, info);
        Assert.Equal(
            [("Content-Type", "application/json"), ("openai-processing-ms", "42"), ("x-request-id", "a"), ("x-request-id", "b"), ("x-unicode", "héllo")],
            HeadersOf(response));
    }

    [Fact]
    public void AnEventStreamEntryKeepsItsFlag()
    {
        var entry = CacheEntry.Create(200, new HeaderDictionary { ["Content-Type"] = "text/event-stream" }, eventStream: true,
            "data: 1\n\n"u8, 0, 1);
        Assert.True(CacheEntry.TryParse(entry, out var info));
        Assert.True(info.IsEventStream);
    }

    [Fact]
    public void AnEmptyBodyRoundTrips()
    {
        var entry = CacheEntry.Create(204, new HeaderDictionary(), false, default, 0, 1);
        Assert.True(CacheEntry.TryParse(entry, out var info));
        Assert.Equal(204, info.StatusCode);
        Assert.Equal(0, info.BodyLength);
        Assert.Equal(entry.Length, info.BodyOffset);
    }

    [Fact]
    public void EveryTruncationOfAValidEntryIsRejected()
    {
        var entry = Sample();
        for (int length = 0; length < entry.Length; length++)
        {
            Assert.False(CacheEntry.TryParse(entry.AsSpan(0, length), out _), $"accepted the first {length} of {entry.Length} bytes");
        }
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        var entry = Sample();
        Assert.False(CacheEntry.TryParse([.. entry, 0], out _));
    }

    [Fact]
    public void ACorruptedLengthOrVersionIsRejected()
    {
        foreach (int offset in new[] { 2, 4, 28, CacheEntry.FixedSize + 1, CacheEntry.FixedSize + 2 + 12 + 3 })
        {
            var entry = Sample();
            entry[offset] ^= 0x40;
            Assert.False(CacheEntry.TryParse(entry, out _), $"accepted a flipped byte at {offset}");
        }
    }

    private static byte[] WithUsage(in Usage usage)
    {
        using var recorder = new CacheRecorder(int.MaxValue);
        Assert.True(recorder.Start(200, new HeaderDictionary { ["Content-Type"] = "application/json" }, eventStream: false));
        recorder.Append("""{"id":"chatcmpl"}"""u8);
        Assert.True(recorder.TryComplete(1_000, 61_000, in usage, out var entry));
        return entry.ToArray();
    }

    private static CachedResponse Read(byte[] entry)
    {
        Assert.True(CacheEntry.TryParse(entry, out var info));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(entry.Length);
        entry.CopyTo(buffer, 0);
        return new CachedResponse(buffer, info);
    }

    [Fact]
    public void AReportedUsage_RoundTripsWithTheEntry_AndLeavesTheBodyAsItWas()
    {
        using var response = Read(WithUsage(new Usage(12, 5, 3, found: true, model: "gpt-4o-mini-2024-07-18")));

        Assert.Equal("""{"id":"chatcmpl"}""", Encoding.UTF8.GetString(response.Body));
        Assert.True(response.TryGetUsage(out var usage));
        Assert.Equal((12, 5, (int?)3, true, false, "gpt-4o-mini-2024-07-18"),
            (usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, usage.Found, usage.Estimated, usage.Model));
    }

    [Fact]
    public void AUsageWithoutCachedTokensOrModel_RoundTripsAsNone()
    {
        using var response = Read(WithUsage(new Usage(7, 9, null, found: true)));

        Assert.True(response.TryGetUsage(out var usage));
        Assert.Equal((7, 9, (int?)null, (string?)null), (usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, usage.Model));
    }

    [Fact]
    public void AnEntryWithoutUsage_OrWithAnEstimate_CarriesNone()
    {
        // An estimate is not stored: a HIT would log it as if the provider had counted it.
        using var plain = Read(Sample());
        using var estimated = Read(WithUsage(new Usage(7, 9, null, found: false, estimated: true)));

        Assert.False(plain.TryGetUsage(out _));
        Assert.False(estimated.TryGetUsage(out _));
    }

    [Fact]
    public void EveryTruncationOrExtensionOfAnEntryWithUsageIsRejected()
    {
        var entry = WithUsage(new Usage(12, 5, 3, found: true, model: "m"));
        for (int length = 0; length < entry.Length; length++)
        {
            Assert.False(CacheEntry.TryParse(entry.AsSpan(0, length), out _), $"accepted the first {length} of {entry.Length} bytes");
        }

        Assert.False(CacheEntry.TryParse([.. entry, 0], out _));
    }

    [Fact]
    public void OnlySuccessfulStatusesCanBeCreated()
    {
        Assert.Throws<ArgumentException>(() => CacheEntry.Create(500, new HeaderDictionary(), false, default, 0, 1));
    }
}
