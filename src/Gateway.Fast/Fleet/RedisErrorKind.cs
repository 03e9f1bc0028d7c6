namespace Gateway.Fast.Fleet;

/// <summary>Why a Redis call failed: the <c>kind</c> label of <c>gateway_redis_errors_total</c> and the keys of <c>/health</c>'s redis errors.</summary>
public enum RedisErrorKind : byte
{
    /// <summary>No connection: refused, reset, or not yet re-established.</summary>
    Connection,

    /// <summary>No answer within <see cref="RedisOptions.OperationTimeoutMs"/>.</summary>
    Timeout,

    /// <summary>Redis answered with an error (a script error, a wrong type, out of memory).</summary>
    Server,

    /// <summary>Anything else (a reply the caller could not read).</summary>
    Other,
}
