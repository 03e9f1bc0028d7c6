using Gateway.Fast.Management;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Fleet;

/// <summary>How a fanned-out answer says which replicas it lacks, and how another replica's answer is passed back as is.</summary>
internal static class FleetAnswer
{
    /// <summary><paramref name="envelope"/> naming the replicas in <paramref name="missing"/>: their ids in
    /// <see cref="FleetPeers.MissingHeader"/> and one note each in the envelope's <c>messages</c> (Cloudflare's shape is
    /// otherwise unchanged, and SDKs ignore both). Code 503 in a note: what that replica's part of the answer would have been.</summary>
    public static V4Envelope Naming(HttpContext context, V4Envelope envelope, IReadOnlyCollection<MissingReplica> missing)
    {
        if (missing.Count == 0)
        {
            return envelope;
        }

        context.Response.Headers[FleetPeers.MissingHeader] = string.Join(",", missing.Select(static m => m.Id));
        return envelope.WithMessages(missing.Select(static m =>
            new V4Error(StatusCodes.Status503ServiceUnavailable, $"Replica {m.Id} is missing from this answer: {m.Reason}")));
    }

    /// <summary>Another replica's answer, relayed with its status, content type and body.</summary>
    public static IResult Relay(PeerAnswer answer) => new Relayed(answer);

    /// <summary>A peer's answer that was not a usable one, as a missing replica.</summary>
    public static MissingReplica Unusable(PeerAnswer answer) => new(answer.Replica.Id, $"answered {answer.StatusCode}");

    private sealed class Relayed(PeerAnswer answer) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = answer.StatusCode;
            response.ContentType = answer.ContentType;
            response.Headers.CacheControl = "no-store";
            response.ContentLength = answer.Body.Length;
            return response.Body.WriteAsync(answer.Body, httpContext.RequestAborted).AsTask();
        }
    }
}
