using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>Reads a whole Converse response (<c>output.message.content[]</c>, <c>stopReason</c>, <c>usage</c>) into a <see cref="ChatCompletion"/>.</summary>
/// <remarks>
/// Text blocks are joined into <c>content</c>; <c>reasoningContent.reasoningText.text</c> becomes <c>reasoning_content</c>
/// (its signature is dropped: OpenAI's shape has no place to carry it back); each <c>toolUse</c> becomes a tool call
/// whose arguments are its <c>input</c> JSON as sent. The forced <see cref="BedrockRequestWriter.JsonResponseTool"/> is
/// not a tool call: its input is the JSON answer, so it becomes the content, and <c>tool_use</c> the finish reason stop.
/// </remarks>
internal static class BedrockResponseReader
{
    public static ChatCompletion Read(ReadOnlySpan<byte> native)
    {
        var completion = new ChatCompletion(Accounting.UsageWireFormat.BedrockConverse);
        var reader = new Utf8JsonReader(native, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A Converse response is a JSON object.");
        }

        StringBuilder? text = null;
        StringBuilder? reasoning = null;
        string? jsonAnswer = null;
        while (NextProperty(ref reader, 0))
        {
            if (reader.ValueTextEquals("output"u8))
            {
                reader.Read();
                ReadOutput(ref reader, native, completion, ref text, ref reasoning, ref jsonAnswer);
            }
            else if (reader.ValueTextEquals("stopReason"u8))
            {
                reader.Read();
                completion.FinishReason = reader.TokenType == JsonTokenType.String ? BedrockStopReason.ToFinishReason(reader.ValueSpan) : "stop";
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

        completion.Content = jsonAnswer ?? text?.ToString();
        completion.Reasoning = reasoning?.ToString();
        if (jsonAnswer is not null && completion.FinishReason == "tool_calls")
        {
            completion.FinishReason = "stop";
        }

        return completion;
    }

    private static void ReadOutput(ref Utf8JsonReader reader, ReadOnlySpan<byte> native, ChatCompletion completion,
        ref StringBuilder? text, ref StringBuilder? reasoning, ref string? jsonAnswer)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        int outputDepth = reader.CurrentDepth;
        while (NextProperty(ref reader, outputDepth))
        {
            bool isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (!isMessage || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            int messageDepth = reader.CurrentDepth;
            while (NextProperty(ref reader, messageDepth))
            {
                bool isContent = reader.ValueTextEquals("content"u8);
                reader.Read();
                if (!isContent || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    ReadBlock(ref reader, native, completion, ref text, ref reasoning, ref jsonAnswer);
                }
            }
        }
    }

    private static void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> native, ChatCompletion completion,
        ref StringBuilder? text, ref StringBuilder? reasoning, ref string? jsonAnswer)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        int depth = reader.CurrentDepth;
        while (NextProperty(ref reader, depth))
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                (text ??= new StringBuilder()).Append(reader.GetString());
            }
            else if (reader.ValueTextEquals("toolUse"u8))
            {
                reader.Read();
                ReadToolUse(ref reader, native, completion, ref jsonAnswer);
            }
            else if (reader.ValueTextEquals("reasoningContent"u8))
            {
                reader.Read();
                ReadReasoning(ref reader, ref reasoning);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadToolUse(ref Utf8JsonReader reader, ReadOnlySpan<byte> native, ChatCompletion completion, ref string? jsonAnswer)
    {
        string id = "", name = "", input = "{}";
        int depth = reader.CurrentDepth;
        while (NextProperty(ref reader, depth))
        {
            if (reader.ValueTextEquals("toolUseId"u8))
            {
                reader.Read();
                id = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                input = Encoding.UTF8.GetString(native[start..(int)reader.BytesConsumed]);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (name == BedrockRequestWriter.JsonResponseTool)
        {
            jsonAnswer = input;
            return;
        }

        completion.ToolCalls.Add(new ChatToolCall(id, name, input));
    }

    private static void ReadReasoning(ref Utf8JsonReader reader, ref StringBuilder? reasoning)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        int depth = reader.CurrentDepth;
        while (NextProperty(ref reader, depth))
        {
            bool isReasoningText = reader.ValueTextEquals("reasoningText"u8);
            reader.Read();
            if (!isReasoningText || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            int inner = reader.CurrentDepth;
            while (NextProperty(ref reader, inner))
            {
                bool isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    (reasoning ??= new StringBuilder()).Append(reader.GetString());
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>Moves to the next property name of the object opened at <paramref name="depth"/>; false at its end.</summary>
    internal static bool NextProperty(ref Utf8JsonReader reader, int depth)
    {
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth)
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                return true;
            }
        }

        return false;
    }
}
