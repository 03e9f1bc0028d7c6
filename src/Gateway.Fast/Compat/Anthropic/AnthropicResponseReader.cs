using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>A whole Messages response (<c>{content: [blocks], stop_reason, usage}</c>) read into a <see cref="ChatCompletion"/>.</summary>
/// <remarks>
/// Text blocks are concatenated into <c>content</c>, thinking blocks into <c>reasoning_content</c>, <c>tool_use</c> blocks
/// become tool calls with their <c>input</c> object as the arguments string (its raw bytes, not re-serialised). A
/// <see cref="AnthropicWire.JsonToolName"/> call is the <c>json_schema</c> answer and replaces the content. Server-tool
/// and redacted-thinking blocks have no OpenAI form and are left out. A body that is not JSON throws
/// <see cref="JsonException"/>: the upstream broke its contract, which the caller of the translator reports as such.
/// </remarks>
internal static class AnthropicResponseReader
{
    public static ChatCompletion Read(ReadOnlySpan<byte> native)
    {
        var completion = new ChatCompletion(Accounting.UsageWireFormat.Anthropic);
        var state = new Blocks();
        var reader = new Utf8JsonReader(native);
        ReadOnlySpan<byte> stopReason = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An Anthropic message must be a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadBlock(ref reader, native, completion, ref state);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                stopReason = reader.TokenType == JsonTokenType.String ? reader.ValueSpan : default;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                completion.Usage.Read(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        completion.Content = state.JsonAnswer ?? state.Text?.ToString();
        completion.Reasoning = state.Reasoning?.ToString();
        completion.FinishReason = stopReason.IsEmpty && state.JsonAnswer is null && completion.ToolCalls.Count > 0
            ? "tool_calls"
            : AnthropicWire.FinishReason(stopReason, completion.ToolCalls.Count > 0);
        return completion;
    }

    /// <summary>One content block, its properties in any order; the reader stands on its <c>{</c> and ends on its <c>}</c>.</summary>
    private static void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> native, ChatCompletion completion, ref Blocks state)
    {
        ReadOnlySpan<byte> type = default;
        ReadOnlySpan<byte> input = default;
        string? text = null, id = null, name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.ValueSpan;
            }
            else if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8))
            {
                reader.Read();
                text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                input = native[start..(int)reader.BytesConsumed];
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type.SequenceEqual("text"u8))
        {
            (state.Text ??= new StringBuilder()).Append(text);
        }
        else if (type.SequenceEqual("thinking"u8))
        {
            (state.Reasoning ??= new StringBuilder()).Append(text);
        }
        else if (type.SequenceEqual("tool_use"u8))
        {
            string arguments = input.IsEmpty ? "{}" : Encoding.UTF8.GetString(input);
            if (name == AnthropicWire.JsonToolName)
            {
                state.JsonAnswer = arguments;
            }
            else
            {
                completion.ToolCalls.Add(new ChatToolCall(id ?? "", name ?? "", arguments));
            }
        }
    }

    private struct Blocks
    {
        public StringBuilder? Text;
        public StringBuilder? Reasoning;
        public string? JsonAnswer;
    }
}
