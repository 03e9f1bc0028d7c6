using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>
/// Writes OpenAI <c>chat.completion.chunk</c> SSE events (<c>data: {…}\n\n</c>) for one streamed response. Every stream
/// translator writes through this one class, so the chunks of every provider have the same shape.
/// </summary>
/// <remarks>
/// Text arrives unescaped (UTF-8) and is escaped here. One <see cref="Utf8JsonWriter"/> is reused for every chunk.
/// </remarks>
internal sealed class OpenAIChunkWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly CompatResponseInfo _info;
    private readonly JsonEncodedText _id;
    private readonly JsonEncodedText _model;
    private readonly Utf8JsonWriter _json = new(Stream.Null, Options);

    public OpenAIChunkWriter(in CompatResponseInfo info)
    {
        _info = info;
        _id = JsonEncodedText.Encode(info.Id, Options.Encoder); // encoded once, written into every chunk
        _model = JsonEncodedText.Encode(info.Model, Options.Encoder);
    }

    public CompatResponseInfo Info => _info;

    /// <summary>A finish chunk was written (<see cref="Finish"/>).</summary>
    public bool Finished { get; private set; }

    /// <summary>The first chunk: <c>delta: {role: "assistant", content: ""}</c>.</summary>
    public void Role(IBufferWriter<byte> output)
    {
        Begin(output);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("content"u8, ""u8);
        _json.WriteEndObject();
        _json.WriteNull("finish_reason"u8);
        End(output);
    }

    /// <summary><c>delta: {content: text}</c>; nothing for empty text.</summary>
    public void Content(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8Text) => TextDelta(output, "content"u8, utf8Text);

    /// <summary><c>delta: {reasoning_content: text}</c>, as DeepSeek and others stream thinking text.</summary>
    public void Reasoning(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8Text) => TextDelta(output, "reasoning_content"u8, utf8Text);

    /// <summary>A tool call opens: <c>delta.tool_calls[{index, id, type: "function", function: {name, arguments: ""}}]</c>.</summary>
    public void ToolCallStart(IBufferWriter<byte> output, int index, string id, string name)
    {
        BeginToolCall(output, index);
        _json.WriteString("id"u8, id);
        _json.WriteString("type"u8, "function"u8);
        _json.WriteStartObject("function"u8);
        _json.WriteString("name"u8, name);
        _json.WriteString("arguments"u8, ""u8);
        EndToolCall(output);
    }

    /// <summary>More of a tool call's JSON arguments (a fragment, unescaped): <c>delta.tool_calls[{index, function: {arguments}}]</c>.</summary>
    public void ToolCallArguments(IBufferWriter<byte> output, int index, ReadOnlySpan<byte> utf8Fragment)
    {
        if (utf8Fragment.IsEmpty)
        {
            return;
        }

        BeginToolCall(output, index);
        _json.WriteStartObject("function"u8);
        _json.WriteString("arguments"u8, utf8Fragment);
        EndToolCall(output);
    }

    private void TextDelta(IBufferWriter<byte> output, ReadOnlySpan<byte> field, ReadOnlySpan<byte> utf8Text)
    {
        if (utf8Text.IsEmpty)
        {
            return;
        }

        Begin(output);
        _json.WriteStartObject("delta"u8);
        _json.WriteString(field, utf8Text);
        _json.WriteEndObject();
        _json.WriteNull("finish_reason"u8);
        End(output);
    }

    /// <summary>Opens <c>delta.tool_calls[{index, …</c>; the caller writes the call's fields and its open <c>function</c> object.</summary>
    private void BeginToolCall(IBufferWriter<byte> output, int index)
    {
        Begin(output);
        _json.WriteStartObject("delta"u8);
        _json.WriteStartArray("tool_calls"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, index);
    }

    /// <summary>Closes what <see cref="BeginToolCall"/> opened, with the <c>function</c> object, and ends the chunk.</summary>
    private void EndToolCall(IBufferWriter<byte> output)
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.WriteNull("finish_reason"u8);
        End(output);
    }

    /// <summary>The last choice chunk: <c>delta: {}</c> and <paramref name="finishReason"/> (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>).</summary>
    public void Finish(IBufferWriter<byte> output, string finishReason)
    {
        Begin(output);
        _json.WriteStartObject("delta"u8);
        _json.WriteEndObject();
        _json.WriteString("finish_reason"u8, finishReason);
        End(output);
        Finished = true;
    }

    /// <summary>The usage chunk OpenAI sends when <c>stream_options.include_usage</c> is set: <c>choices: []</c> and <c>usage</c>.</summary>
    public void Usage(IBufferWriter<byte> output, in ChatUsage usage)
    {
        _json.Reset(output);
        output.Write("data: "u8);
        _json.WriteStartObject();
        WriteHead();
        _json.WriteStartArray("choices"u8);
        _json.WriteEndArray();
        ChatCompletionWriter.WriteUsage(_json, usage);
        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n\n"u8);
    }

    /// <summary><c>data: [DONE]\n\n</c>.</summary>
    public static void Done(IBufferWriter<byte> output) => output.Write("data: [DONE]\n\n"u8);

    /// <summary>
    /// What <see cref="IChatStreamTranslator.Complete"/> does for every provider: a <c>stop</c> finish if the stream
    /// gave none, the usage chunk when the caller asked for it, then <c>[DONE]</c>.
    /// </summary>
    public void Complete(IBufferWriter<byte> output, in ChatUsage usage, string fallbackFinishReason = "stop")
    {
        if (!Finished)
        {
            Finish(output, fallbackFinishReason);
        }

        if (_info.IncludeUsage)
        {
            Usage(output, usage);
        }

        Done(output);
    }

    public void Dispose() => _json.Dispose();

    private void Begin(IBufferWriter<byte> output)
    {
        _json.Reset(output);
        output.Write("data: "u8);
        _json.WriteStartObject();
        WriteHead();
        _json.WriteStartArray("choices"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, 0);
    }

    private void End(IBufferWriter<byte> output)
    {
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n\n"u8);
    }

    private void WriteHead()
    {
        _json.WriteString("id"u8, _id);
        _json.WriteString("object"u8, "chat.completion.chunk"u8);
        _json.WriteNumber("created"u8, _info.Created);
        _json.WriteString("model"u8, _model);
    }
}
