using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>Writes an OpenAI <c>chat.completion</c> object: the one shape every non-streamed translated answer takes.</summary>
internal static class ChatCompletionWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(IBufferWriter<byte> output, in CompatResponseInfo info, ChatCompletion completion)
    {
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WriteString("id"u8, info.Id);
        json.WriteString("object"u8, "chat.completion"u8);
        json.WriteNumber("created"u8, info.Created);
        json.WriteString("model"u8, info.Model);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("message"u8);
        json.WriteString("role"u8, "assistant"u8);
        if (completion.Content is null)
        {
            json.WriteNull("content"u8);
        }
        else
        {
            json.WriteString("content"u8, completion.Content);
        }

        if (completion.Reasoning is not null)
        {
            json.WriteString("reasoning_content"u8, completion.Reasoning);
        }

        if (completion.ToolCalls.Count > 0)
        {
            json.WriteStartArray("tool_calls"u8);
            foreach (var call in completion.ToolCalls)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, call.Id);
                json.WriteString("type"u8, "function"u8);
                json.WriteStartObject("function"u8);
                json.WriteString("name"u8, call.Name);
                json.WriteString("arguments"u8, call.ArgumentsJson);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteNull("logprobs"u8);
        json.WriteString("finish_reason"u8, completion.FinishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, completion.Usage.ForCaller);
        json.WriteEndObject();
    }

    /// <summary><c>"usage": {prompt_tokens, completion_tokens, total_tokens, prompt_tokens_details: {cached_tokens}}</c>.</summary>
    public static void WriteUsage(Utf8JsonWriter json, in ChatUsage usage)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        json.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        json.WriteNumber("total_tokens"u8, usage.TotalTokens);
        json.WriteStartObject("prompt_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, usage.CachedPromptTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
