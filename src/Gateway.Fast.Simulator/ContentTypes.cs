namespace Gateway.Fast.Simulator;

/// <summary>Content-Type values as the real providers send them (see fixtures/*/cassette-*.yaml).</summary>
internal static class ContentTypes
{
    public const string Json = "application/json";
    public const string JsonUtf8 = "application/json; charset=utf-8";
    public const string GoogleJson = "application/json; charset=UTF-8";
    public const string Sse = "text/event-stream";
    public const string SseUtf8 = "text/event-stream; charset=utf-8";
    public const string EventStream = "application/vnd.amazon.eventstream";
    public const string NdJson = "application/stream+json";
}
