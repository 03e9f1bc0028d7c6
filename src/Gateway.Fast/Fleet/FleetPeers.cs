using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Fleet;

/// <summary>One other replica's answer to a forwarded management call.</summary>
internal sealed record PeerAnswer(ReplicaInfo Replica, int StatusCode, string? ContentType, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>What a fan-out got back: the answers that came, and the replicas that gave none (with why), by id.</summary>
internal sealed record PeerAnswers(IReadOnlyList<PeerAnswer> Answers, IReadOnlyList<MissingReplica> Missing);

/// <summary>A live replica that gave no usable answer within the deadline.</summary>
internal sealed record MissingReplica(string Id, string Reason);

/// <summary>Sends a management call on to the other live replicas (their internal addresses from <see cref="ReplicaRegistry"/>),
/// in parallel and within <see cref="FleetQueryOptions.QueryDeadline"/>, marked so that they answer from their own rows only.</summary>
/// <remarks>
/// The forwarded call is the caller's: same method, path, query and body, with its management credentials
/// (<c>Authorization</c>, <c>X-Auth-Key</c>), so every replica checks them as usual. The <see cref="LocalOnlyHeader"/> only
/// narrows what a replica answers (its own rows, no further fan-out), which is why it needs no secret of its own.
/// A replica that cannot be reached, answers 5xx or is still silent at the deadline is reported as missing, never dropped
/// silently.
/// </remarks>
public sealed class FleetPeers : IDisposable
{
    /// <summary>Set on a forwarded call: answer from this replica's rows, do not fan out again. <c>1</c> for the call itself,
    /// <c>select</c> for a bulk DELETE's first phase (list the rows it would delete, delete none).</summary>
    public const string LocalOnlyHeader = "x-gateway-fleet-local";

    /// <summary>On a fanned-out answer: the ids of the replicas that did not answer, comma-separated; absent when all did.</summary>
    public const string MissingHeader = "x-gateway-missing-replicas";

    private static readonly string[] Credentials = ["Authorization", "X-Auth-Key"];

    private readonly HttpClient _client;
    private readonly ReplicaRegistry _registry;
    private readonly RedisConnection _redis;
    private readonly FleetQueryOptions _options;

    public FleetPeers(ReplicaRegistry registry, RedisConnection redis, FleetQueryOptions options)
    {
        _registry = registry;
        _redis = redis;
        _options = options;

        // One pooled handler for every peer; the deadline is per fan-out (a linked token), not the client's timeout.
        _client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.QueryDeadline,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The deadline in milliseconds, for messages.</summary>
    public int DeadlineMs => _options.QueryDeadlineMs;

    /// <summary>True for a call another replica forwarded: it is answered from this replica's rows alone.</summary>
    public static bool IsForwarded(HttpRequest request) => request.Headers.ContainsKey(LocalOnlyHeader);

    /// <summary>True for the first phase of a forwarded bulk DELETE (select, do not delete).</summary>
    public static bool IsSelectOnly(HttpRequest request) => request.Headers[LocalOnlyHeader] == "select";

    /// <summary>Sends the caller's request to every other live replica and waits for all of them, up to the deadline.</summary>
    /// <param name="context">The caller's request: method, path, query and credentials are forwarded.</param>
    /// <param name="mode">The <see cref="LocalOnlyHeader"/> value.</param>
    /// <param name="query">Gives each replica its own query string (with its leading '?'), or null to leave that replica
    /// out; without it, every replica gets the caller's.</param>
    internal async Task<PeerAnswers> SendAllAsync(HttpContext context, string mode = "1", Func<ReplicaInfo, string?>? query = null)
    {
        var peers = await OthersAsync().ConfigureAwait(false);
        var queries = peers.ConvertAll(p => query is null ? context.Request.QueryString.ToUriComponent() : query(p));
        peers = peers.Where((_, i) => queries[i] is not null).ToList();
        queries.RemoveAll(static q => q is null);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(_options.QueryDeadline);
        var sends = new Task<PeerAnswer?>[peers.Count];
        var reasons = new string?[peers.Count];
        for (int i = 0; i < peers.Count; i++)
        {
            var index = i;
            sends[i] = SendAsync(context, peers[i], null, mode, queries[i], r => reasons[index] = r, deadline.Token);
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        return Collect(peers, sends, reasons);
    }

    /// <summary>Sends the caller's request to every other live replica and returns the first 2xx answer (the replica that
    /// holds the row), cancelling the rest; null with the answers and missing replicas when none had it.</summary>
    internal async Task<(PeerAnswer? Found, PeerAnswers All)> FindAsync(HttpContext context, byte[]? body = null)
    {
        var peers = await OthersAsync().ConfigureAwait(false);
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(_options.QueryDeadline);
        var sends = new Task<PeerAnswer?>[peers.Count];
        var reasons = new string?[peers.Count];
        for (int i = 0; i < peers.Count; i++)
        {
            var index = i;
            sends[i] = SendAsync(context, peers[i], body, "1", null, r => reasons[index] = r, deadline.Token);
        }

        var pending = new List<Task<PeerAnswer?>>(sends);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (done.Result is { IsSuccess: true } found)
            {
                // The others are cancelled; the token source is disposed once they have all finished with it.
                await deadline.CancelAsync().ConfigureAwait(false);
                _ = Task.WhenAll(sends).ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Dispose(), deadline,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return (found, new PeerAnswers([found], []));
            }
        }

        deadline.Dispose();
        return (null, Collect(peers, sends, reasons));
    }

    public void Dispose() => _client.Dispose();

    private async Task<List<ReplicaInfo>> OthersAsync()
    {
        var live = await _registry.ListAsync().ConfigureAwait(false);
        return live.Where(r => r.Id != _redis.ReplicaId).ToList();
    }

    private static PeerAnswers Collect(List<ReplicaInfo> peers, Task<PeerAnswer?>[] sends, string?[] reasons)
    {
        var answers = new List<PeerAnswer>(peers.Count);
        var missing = new List<MissingReplica>();
        for (int i = 0; i < peers.Count; i++)
        {
            if (sends[i].Result is { } answer)
            {
                answers.Add(answer);
            }
            else
            {
                missing.Add(new MissingReplica(peers[i].Id, reasons[i] ?? "no answer"));
            }
        }

        return new PeerAnswers(answers, missing);
    }

    /// <summary>One forwarded call; null (with the reason reported) when the replica gave no usable answer.</summary>
    private async Task<PeerAnswer?> SendAsync(HttpContext context, ReplicaInfo peer, byte[]? body, string mode, string? query,
        Action<string> fail, CancellationToken deadline)
    {
        var incoming = context.Request;
        var target = peer.Address.TrimEnd('/') + incoming.PathBase.ToUriComponent() + incoming.Path.ToUriComponent()
            + (query ?? incoming.QueryString.ToUriComponent());
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
        foreach (var name in Credentials)
        {
            if (incoming.Headers.TryGetValue(name, out var values))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.TryAddWithoutValidation(LocalOnlyHeader, mode);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(incoming.ContentType, out var type)
                ? type
                : new MediaTypeHeaderValue("application/json");
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(deadline).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500)
            {
                fail($"answered {(int)response.StatusCode}");
                return null;
            }

            return new PeerAnswer(peer, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), bytes);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            fail(context.RequestAborted.IsCancellationRequested ? "the caller went away" : $"no answer within {_options.QueryDeadlineMs} ms");
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The message names the address and the socket error (refused, unreachable); no credential is in it.
            fail(e is HttpRequestException h ? $"unreachable ({h.HttpRequestError})" : "the connection failed");
            return null;
        }
    }
}
