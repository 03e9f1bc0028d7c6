using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>Reads a whole Cohere v2 chat answer (fixtures/cohere/cohere-text.json, cohere-tool-call.json) into a <see cref="ChatCompletion"/>.</summary>
/// <remarks><c>message.content[]</c> text blocks join into the content, thinking blocks into the reasoning; the <c>tool_plan</c> comes first in the content (see <see cref="CohereStreamTranslator"/>).</remarks>
internal static class CohereCompletionReader
{
    public static ChatCompletion Read(ReadOnlySpan<byte> native)
    {
        var completion = new ChatCompletion(Accounting.UsageWireFormat.Cohere);
        var reader = new Utf8JsonReader(native);
        StringBuilder? text = null, thinking = null;
        string? plan = null;
        ReadOnlySpan<byte> finish = default;
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    ReadMessage(ref reader, native, completion, ref text, ref thinking, ref plan);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    finish = reader.TokenType == JsonTokenType.String ? reader.ValueSpan : default;
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
        }

        string? content = plan is null ? text?.ToString() : text is null ? plan : plan + text;
        completion.Content = content ?? (completion.ToolCalls.Count > 0 ? null : "");
        completion.Reasoning = thinking?.ToString();
        completion.FinishReason = finish.IsEmpty
            ? (completion.ToolCalls.Count > 0 ? "tool_calls" : "stop")
            : CohereFinishReason.ToOpenAI(finish, completion.ToolCalls.Count > 0);
        return completion;
    }

    private static void ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> native, ChatCompletion completion, ref StringBuilder? text, ref StringBuilder? thinking, ref string? plan)
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
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool isText = reader.ValueTextEquals("text"u8);
                        bool isThinking = reader.ValueTextEquals("thinking"u8);
                        reader.Read();
                        if ((isText || isThinking) && reader.TokenType == JsonTokenType.String)
                        {
                            (isText ? text ??= new StringBuilder() : thinking ??= new StringBuilder()).Append(reader.GetString());
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else if (reader.ValueTextEquals("tool_plan"u8))
            {
                reader.Read();
                plan = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0 ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ReadToolCalls(ref reader, native, completion);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, ReadOnlySpan<byte> native, ChatCompletion completion)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var arguments = CohereStreamEvent.ReadToolCall(ref reader, native, ref scratch, out string? id, out string? name, out _);
                int index = completion.ToolCalls.Count;
                completion.ToolCalls.Add(new ChatToolCall(id ?? $"call_{index}", name ?? "",
                    arguments.IsEmpty ? "{}" : Encoding.UTF8.GetString(arguments)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
