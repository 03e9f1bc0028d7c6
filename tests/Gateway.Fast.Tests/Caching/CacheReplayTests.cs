using System.Buffers;
using System.Text;
using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Fast.Tests.Caching;

public sealed class CacheReplayTests
{
    private static CachedResponse Cached(int status, HeaderDictionary headers, bool eventStream, string body)
    {
        var entry = CacheEntry.Create(status, headers, eventStream, Encoding.UTF8.GetBytes(body), 0, long.MaxValue);
        Assert.True(CacheEntry.TryParse(entry, out var info));
        var buffer = ArrayPool<byte>.Shared.Rent(entry.Length);
        entry.CopyTo(buffer, 0);
        return new CachedResponse(buffer, info);
    }

    /// <summary>A response body that records each flushed write, so event boundaries are visible.</summary>
    private sealed class FlushRecordingStream : MemoryStream
    {
        private long _flushedAt;

        public List<string> Flushes { get; } = [];

        public override void Flush() => Record();

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Record();
            return Task.CompletedTask;
        }

        private void Record()
        {
            if (Length > _flushedAt)
            {
                Flushes.Add(Encoding.UTF8.GetString(GetBuffer(), (int)_flushedAt, (int)(Length - _flushedAt)));
                _flushedAt = Length;
            }
        }
    }

    private static (DefaultHttpContext Http, FlushRecordingStream Body) NewContext()
    {
        var http = new DefaultHttpContext();
        var body = new FlushRecordingStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (http, body);
    }

    [Fact]
    public async Task AJsonHitIsReplayedWithStatusHeadersLengthAndHitStatus()
    {
        var (http, body) = NewContext();
        using var cached = Cached(201, new HeaderDictionary { ["Content-Type"] = "application/json", ["x-multi"] = new[] { "a", "b" } }, false, "{\"ok\":true}");

        await CacheReplay.WriteAsync(http.Response, cached, CancellationToken.None);

        Assert.Equal(201, http.Response.StatusCode);
        Assert.Equal("application/json", http.Response.ContentType);
        Assert.Equal(11, http.Response.ContentLength);
        Assert.Equal("HIT", http.Response.Headers["cf-aig-cache-status"]);
        Assert.Equal(new[] { "a", "b" }, http.Response.Headers["x-multi"].ToArray());
        Assert.Equal("{\"ok\":true}", string.Concat(body.Flushes));
    }

    [Fact]
    public async Task AStreamHitIsReplayedAsSseFlushedPerEvent()
    {
        var (http, body) = NewContext();
        const string sse = "data: {\"a\":1}\n\ndata: {\"a\":2}\r\n\r\nevent: done\ndata: [DONE]\n\n";
        using var cached = Cached(200, new HeaderDictionary { ["Content-Type"] = "text/event-stream; charset=utf-8" }, true, sse);

        await CacheReplay.WriteAsync(http.Response, cached, CancellationToken.None);

        Assert.Equal("text/event-stream; charset=utf-8", http.Response.ContentType);
        Assert.Null(http.Response.ContentLength);
        Assert.Equal(["data: {\"a\":1}\n\n", "data: {\"a\":2}\r\n\r\n", "event: done\ndata: [DONE]\n\n"], body.Flushes);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("data: x", 7)]
    [InlineData("data: x\n", 8)]
    [InlineData("data: x\n\n", 9)]
    [InlineData("data: x\ndata: y\n\nrest", 17)]
    [InlineData("data: x\r\n\r\nrest", 11)]
    [InlineData("\n\n", 2)]
    public void EventBoundariesAreFoundAtBlankLines(string text, int expected)
        => Assert.Equal(expected, CacheReplay.NextEventLength(Encoding.UTF8.GetBytes(text)));
}
