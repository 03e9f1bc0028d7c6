namespace Gateway.Fast.Simulator;

/// <summary>A precomputed response: the whole body in one array, with the end offset of every event in it.</summary>
/// <remarks>
/// <code>
/// Body:   [prelude events][token event 0]…[token event T-1][tail events]
/// Ends:   end offset of each event, ascending; Ends[^1] == Body.Length
/// </code>
/// A plain (non-streamed) response is a single event with no token events.
/// </remarks>
internal sealed class SimResponse(
    byte[] body, int[] ends, int preludeEvents, int tokenEvents, string contentType, bool isStream, int status = 200)
{
    public byte[] Body { get; } = body;
    public int[] Ends { get; } = ends;
    public int PreludeEvents { get; } = preludeEvents;
    public int TokenEvents { get; } = tokenEvents;
    public string ContentType { get; } = contentType;
    public bool IsStream { get; } = isStream;
    public int Status { get; } = status;

    /// <summary>An extra response header (name, value), e.g. Bedrock's <c>x-amzn-ErrorType</c>; null when none.</summary>
    public KeyValuePair<string, string>? ExtraHeader { get; init; }

    public int EventCount => Ends.Length;

    public int EventStart(int index) => index == 0 ? 0 : Ends[index - 1];
}
