using System.Text.Json;
using Gateway.Fast.Json;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>What one Cohere v2 stream event says, read in one <see cref="Utf8JsonReader"/> pass.</summary>
/// <remarks>
/// Events (fixtures/cohere/*.chunks.txt): <c>{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"…"}}}}</c>,
/// <c>tool-plan-delta</c> (<c>delta.message.tool_plan</c>), <c>tool-call-start</c> (<c>delta.message.tool_calls</c> with
/// id, name, arguments), <c>tool-call-delta</c> (<c>…tool_calls.function.arguments</c>), <c>message-end</c>
/// (<c>delta.finish_reason</c>, <c>delta.usage</c>). The type is read from the JSON, not the SSE <c>event:</c> line, so
/// either framing works. An event carries at most one text value, unescaped into the caller's scratch buffer.
/// </remarks>
internal ref struct CohereStreamEvent
{
    public ReadOnlySpan<byte> Type;
    public ReadOnlySpan<byte> Text;
    public bool Thinking;
    public string? ToolCallId;
    public string? ToolName;
    public ReadOnlySpan<byte> FinishReason;
    public TranslatedUsage Usage;
    public bool HasUsage;

    /// <exception cref="JsonException">The event is not JSON.</exception>
    public static CohereStreamEvent Read(ReadOnlySpan<byte> json, scoped ref byte[] scratch)
    {
        var e = new CohereStreamEvent();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return e;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                e.Type = reader.TokenType == JsonTokenType.String ? json.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length) : default;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                e.ReadDelta(ref reader, json, ref scratch);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return e;
    }

    private void ReadDelta(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, scoped ref byte[] scratch)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                ReadMessage(ref reader, json, ref scratch);
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                FinishReason = reader.TokenType == JsonTokenType.String ? json.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length) : default;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                Usage = new TranslatedUsage(Accounting.UsageWireFormat.Cohere);
                Usage.Read(ref reader);
                HasUsage = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, scoped ref byte[] scratch)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                ReadTextObject(ref reader, json, ref scratch);
            }
            else if (reader.ValueTextEquals("tool_plan"u8))
            {
                reader.Read();
                Text = ReadString(ref reader, ref scratch);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ReadToolCall(ref reader, json, ref scratch);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary><c>{"text": …}</c> or <c>{"thinking": …}</c> (a content block of Cohere's reasoning models).</summary>
    private void ReadTextObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, scoped ref byte[] scratch)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool text = reader.ValueTextEquals("text"u8);
            bool thinking = reader.ValueTextEquals("thinking"u8);
            reader.Read();
            if (text || thinking)
            {
                Text = ReadString(ref reader, ref scratch);
                Thinking = thinking;
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private void ReadToolCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, scoped ref byte[] scratch)
    {
        var arguments = ReadToolCall(ref reader, json, ref scratch, out string? id, out string? name, out bool hasArguments);
        ToolCallId ??= id;
        ToolName ??= name;
        if (hasArguments)
        {
            Text = arguments;
        }
    }

    /// <summary>
    /// One tool call, <c>{"id", "function": {"name", "arguments"}}</c>, as both the stream's events and the whole answer
    /// (<see cref="CohereCompletionReader"/>) carry it. The arguments (a JSON text) are returned unescaped, from
    /// <paramref name="json"/> or from <paramref name="scratch"/>.
    /// </summary>
    internal static ReadOnlySpan<byte> ReadToolCall(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json, scoped ref byte[] scratch,
        out string? id, out string? name, out bool hasArguments)
    {
        id = null;
        name = null;
        hasArguments = false;
        ReadOnlySpan<byte> arguments = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return arguments;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isName = reader.ValueTextEquals("name"u8);
                    bool isArguments = reader.ValueTextEquals("arguments"u8);
                    reader.Read();
                    if (isName && reader.TokenType == JsonTokenType.String)
                    {
                        name = reader.GetString();
                    }
                    else if (isArguments)
                    {
                        arguments = ReadString(ref reader, ref scratch);
                        hasArguments = true;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return arguments;
    }

    private static ReadOnlySpan<byte> ReadString(scoped ref Utf8JsonReader reader, scoped ref byte[] scratch)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return default;
        }

        return Utf8JsonStrings.Unescape(ref reader, ref scratch);
    }
}
