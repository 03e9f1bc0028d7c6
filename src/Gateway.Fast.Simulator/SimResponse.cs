namespace Gateway.Fast.Simulator;

/// <summary>A precomputed response: the whole body in one array, with the end offset of every event in it.</summary>
/// <remarks>
/// <code>
/// Body:   [prelude events][token event 0]…[token event T-1][tail events]
/// Ends:   end offset of each event, ascending; Ends[^1] == Body.Length
/// </code>
/// A plain (non-streamed) response is a single event with no token events.
/// </remarks>
internal sealed class SimResponse
{
    public SimResponse(byte[] body, int[] ends, int preludeEvents, int tokenEvents, string contentType, bool isStream, int status = 200)
    {
        Body = body;
        Ends = ends;
        PreludeEvents = preludeEvents;
        TokenEvents = tokenEvents;
        ContentType = contentType;
        IsStream = isStream;
        Status = status;
    }

    public byte[] Body { get; }
    public int[] Ends { get; }
    public int PreludeEvents { get; }
    public int TokenEvents { get; }
    public string ContentType { get; }
    public bool IsStream { get; }
    public int Status { get; }

    /// <summary>An extra response header (name, value), e.g. Bedrock's <c>x-amzn-ErrorType</c>; null when none.</summary>
    public KeyValuePair<string, string>? ExtraHeader { get; init; }

    public int EventCount => Ends.Length;

    public int EventStart(int index) => index == 0 ? 0 : Ends[index - 1];
}
