using System.Net;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Forwarding;

/// <summary>The relay loop on its own: an upstream stream of fixed chunks, a client body that discards, no host.</summary>
public sealed class BodyRelayTests
{
    private const int ChunkBytes = 64;

    [Fact]
    public async Task Passthrough_SendsEveryByte_AndEndsInSuccess()
    {
        var (ctx, client) = NewContext();
        using var upstream = Answer(new ChunkStream(chunks: 10));

        var result = await BodyRelay.CopyAsync(ctx, upstream, new PassthroughFilter(), eventStream: false);

        Assert.Equal(RelayOutcome.Success, result.Outcome);
        Assert.Equal(GatewayError.None, result.Error);
        Assert.Equal(10 * ChunkBytes, client.Length);
        Assert.Equal(10 * ChunkBytes, ctx.Log.ResponseBytes); // the tee saw what the client got
    }

    [Fact]
    public async Task AnUpstreamThatBreaks_EndsInUpstreamError_WithItsException()
    {
        var (ctx, _) = NewContext();
        using var upstream = Answer(new ChunkStream(chunks: 3, failAfter: true));

        var result = await BodyRelay.CopyAsync(ctx, upstream, new PassthroughFilter(), eventStream: false);

        Assert.Equal(RelayOutcome.UpstreamError, result.Outcome);
        Assert.Equal(GatewayError.UpstreamUnavailable, result.Error);
        Assert.IsType<IOException>(result.Exception);
        Assert.Equal(ForwardingFailureKind.UpstreamBodyError, ForwardingFailure.KindOf(result.Exception!, result.Error, inBody: true));
    }

    [Fact]
    public async Task AnEventStream_WaitsForEachChunkWithAZeroByteRead()
    {
        // A held stream waits for the provider's next event with no buffer: the relay asks with an empty read first and
        // takes the client's memory only once the chunk is there.
        var (ctx, client) = NewContext();
        var body = new ChunkStream(chunks: 5);
        using var upstream = Answer(body);

        var result = await BodyRelay.CopyAsync(ctx, upstream, new PassthroughFilter(), eventStream: true);

        Assert.Equal(RelayOutcome.Success, result.Outcome);
        Assert.Equal(5 * ChunkBytes, client.Length);
        int[] reads = [.. body.ReadLengths];
        Assert.Equal(12, reads.Length); // five chunks and the end, each asked for empty first
        for (int i = 0; i < reads.Length; i += 2)
        {
            Assert.Equal(0, reads[i]);
            Assert.True(reads[i + 1] > 0, $"read {i + 1} asked for {reads[i + 1]} bytes");
        }
    }

    [Fact]
    public async Task APlainBody_IsReadWithoutZeroByteReads()
    {
        var (ctx, _) = NewContext();
        var body = new ChunkStream(chunks: 3);
        using var upstream = Answer(body);

        await BodyRelay.CopyAsync(ctx, upstream, new PassthroughFilter(), eventStream: false);

        Assert.DoesNotContain(0, body.ReadLengths);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheLoop_AllocatesNothingPerChunk(bool eventStream)
    {
        // Everything here completes synchronously on this thread, so the thread's allocation counter sees the whole relay.
        // The smallest object is 24 B, so anything allocated per chunk shows as at least that much per chunk; a shared pool
        // that other tests drained may hand out a fresh array now and then, which spreads to well under 8 B over 10,000.
        await RelayAsync(chunks: 10, eventStream); // warm: JIT, pools
        long few = await RelayAsync(chunks: 10, eventStream);
        long many = await RelayAsync(chunks: 10_010, eventStream);

        double perChunk = (many - few) / 10_000.0;
        Assert.True(perChunk < 8, $"10 chunks: {few} B, 10,010 chunks: {many} B");
    }

    private static async Task<long> RelayAsync(int chunks, bool eventStream)
    {
        var (ctx, _) = NewContext();
        using var upstream = Answer(new ChunkStream(chunks));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var task = BodyRelay.CopyAsync(ctx, upstream, new PassthroughFilter(), eventStream);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(RelayOutcome.Success, (await task).Outcome);
        return after - before;
    }

    private static (RequestContext Ctx, CountingStream Client) NewContext()
    {
        var client = new CountingStream();
        var http = new DefaultHttpContext();
        http.Response.Body = client;
        var ctx = new RequestContext();
        ctx.Start(http, "/v1/a/g/openai/chat/completions", default(RouteMatch), 0);
        return (ctx, client);
    }

    private static HttpResponseMessage Answer(Stream body) => new(HttpStatusCode.OK) { Content = new StreamContent(body) };

    /// <summary>The client's connection: counts what it is sent and keeps nothing (a MemoryStream would allocate as it grows).</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>
    /// A body of <c>chunks</c> reads of 64 bytes each, all completing at once; optionally a broken connection after them. A
    /// zero-byte read returns 0 and consumes nothing, as a socket's does; <see cref="ReadLengths"/> records what each read asked for.
    /// </summary>
    private sealed class ChunkStream(int chunks, bool failAfter = false) : Stream
    {
        private int _left = chunks;
        private readonly bool _record = chunks <= 100;

        /// <summary>Recorded only for short bodies, so the allocation test measures the relay, not this list.</summary>
        public List<int> ReadLengths { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_record)
            {
                ReadLengths.Add(buffer.Length);
            }

            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (_left == 0)
            {
                return failAfter ? throw new IOException("The connection broke.") : 0;
            }

            _left--;
            int n = Math.Min(ChunkBytes, buffer.Length);
            buffer[..n].Fill((byte)'x');
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
