using System.Text.Json;

namespace Gateway.Fast.Json;

/// <summary>
/// Which JSON property names carry what someone wrote, in the request and response shapes the gateway reads (OpenAI,
/// Anthropic, Gemini, Bedrock, Cohere, Workers AI): one place for every reader that pulls text out of a body.
/// </summary>
/// <remarks>
/// The lists differ on purpose, each fitted to what its reader needs:
/// <list type="bullet">
/// <item><see cref="IsRequestText"/>: message text of a request, for the token estimate when a provider reports no usage.</item>
/// <item><see cref="IsResponseText"/>: generated text, tool-call arguments and reasoning of a response, for response guardrails.</item>
/// <item><see cref="IsNotProse"/>: a request's identifiers, enums and base64 payloads, which prompt guardrails skip
/// while reading every other string.</item>
/// <item><see cref="DefaultRouteInput"/>: where a default route finds the input of a non-chat request, first match wins.</item>
/// </list>
/// </remarks>
public static class JsonTextProperties
{
    /// <summary>Properties a default route reads its input from, in order: <c>text</c>, <c>input</c>, <c>prompt</c>.</summary>
    public static IReadOnlyList<string> DefaultRouteInput { get; } = Array.AsReadOnly(new[] { "text", "input", "prompt" });

    private static ReadOnlySpan<byte> Content => "content"u8;
    private static ReadOnlySpan<byte> Text => "text"u8;
    private static ReadOnlySpan<byte> Prompt => "prompt"u8;
    private static ReadOnlySpan<byte> Input => "input"u8;
    private static ReadOnlySpan<byte> System => "system"u8;
    private static ReadOnlySpan<byte> Instructions => "instructions"u8;
    private static ReadOnlySpan<byte> Message => "message"u8;

    /// <summary>
    /// True when the reader's current property name (escapes resolved) holds request message text: <c>content</c>,
    /// <c>text</c>, <c>prompt</c>, <c>input</c>, <c>system</c>, <c>instructions</c> or <c>message</c>.
    /// </summary>
    public static bool IsRequestText(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals(Content) || reader.ValueTextEquals(Text) || reader.ValueTextEquals(Prompt) ||
        reader.ValueTextEquals(Input) || reader.ValueTextEquals(System) || reader.ValueTextEquals(Instructions) ||
        reader.ValueTextEquals(Message);

    /// <summary>
    /// True for a response property whose string values are text (as written, escapes not resolved): <c>content</c>,
    /// <c>text</c>, <c>refusal</c>, <c>arguments</c>, <c>reasoning_content</c>, <c>thinking</c> or <c>partial_json</c>.
    /// </summary>
    public static bool IsResponseText(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 => name.SequenceEqual("text"u8),
        7 => name.SequenceEqual("content"u8) || name.SequenceEqual("refusal"u8),
        8 => name.SequenceEqual("thinking"u8),
        9 => name.SequenceEqual("arguments"u8),
        12 => name.SequenceEqual("partial_json"u8),
        17 => name.SequenceEqual("reasoning_content"u8),
        _ => false,
    };

    /// <summary>
    /// True for a request property whose values are identifiers or base64 rather than prose (as written): <c>model</c>,
    /// <c>role</c>, <c>type</c>, <c>id</c>, <c>tool_call_id</c>, <c>url</c>, <c>image_url</c>, <c>data</c>,
    /// <c>b64_json</c>, <c>detail</c> and <c>format</c>.
    /// </summary>
    public static bool IsNotProse(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => name.SequenceEqual("id"u8),
        3 => name.SequenceEqual("url"u8),
        4 => name.SequenceEqual("role"u8) || name.SequenceEqual("type"u8) || name.SequenceEqual("data"u8),
        5 => name.SequenceEqual("model"u8),
        6 => name.SequenceEqual("detail"u8) || name.SequenceEqual("format"u8),
        8 => name.SequenceEqual("b64_json"u8),
        9 => name.SequenceEqual("image_url"u8),
        12 => name.SequenceEqual("tool_call_id"u8),
        _ => false,
    };
}
