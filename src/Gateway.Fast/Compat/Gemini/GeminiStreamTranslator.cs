using System.Buffers;
using Gateway.Fast.Sse;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// One <c>streamGenerateContent?alt=sse</c> response turned into OpenAI chunks as its events arrive: each
/// <c>data: {GenerateContentResponse}\r\n\r\n</c> event becomes the role chunk (first), content / reasoning chunks,
/// tool-call chunks (a Gemini call always arrives whole: start + all arguments), and the finish chunk when the event
/// carries <c>finishReason</c>.
/// </summary>
/// <remarks>
/// Every event repeats <c>usageMetadata</c>; the last one is kept for the usage chunk. A text event allocates nothing:
/// the SSE splitter, the JSON reader's unescape buffer and the chunk writer are all reused.
/// </remarks>
internal sealed class GeminiStreamTranslator : IChatStreamTranslator, IGeminiChunkSink
{
    private readonly SseEventReader _events = new();
    private readonly OpenAIChunkWriter _writer;
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(1024);
    private IBufferWriter<byte>? _output;
    private TranslatedUsage _usage = new(Accounting.UsageWireFormat.Gemini);
    private int _toolCalls;
    private bool _started;

    public GeminiStreamTranslator(in CompatResponseInfo info) => _writer = new OpenAIChunkWriter(info);

    public Accounting.Usage Usage => _usage.ForLog;

    public void Write(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        _events.Append(chunk);
        while (_events.TryRead(out _, out var data))
        {
            OnEvent(data, output);
        }
    }

    public void Complete(IBufferWriter<byte> output)
    {
        while (_events.TryReadTrailing(out _, out var data))
        {
            OnEvent(data, output);
        }

        Start(output);
        _writer.Complete(output, _usage.ForCaller, _toolCalls > 0 ? "tool_calls" : "stop");
    }

    public void Dispose()
    {
        _events.Dispose();
        _writer.Dispose();
        ArrayPool<byte>.Shared.Return(_scratch);
        _scratch = [];
    }

    void IGeminiChunkSink.Text(ReadOnlySpan<byte> utf8, bool thought)
    {
        if (thought)
        {
            _writer.Reasoning(_output!, utf8);
        }
        else
        {
            _writer.Content(_output!, utf8);
        }
    }

    void IGeminiChunkSink.FunctionCall(string name, ReadOnlySpan<byte> argsJson, string? id, string? thoughtSignature)
    {
        int index = _toolCalls++;
        _writer.ToolCallStart(_output!, index, GeminiToolCallIds.Create(_writer.Info.Id, index, thoughtSignature), name);
        _writer.ToolCallArguments(_output!, index, argsJson.IsEmpty ? "{}"u8 : argsJson);
    }

    void IGeminiChunkSink.Finish(ReadOnlySpan<byte> reason)
    {
        if (!_writer.Finished)
        {
            _writer.Finish(_output!, GeminiFinishReason.ToOpenAI(reason, _toolCalls > 0));
        }
    }

    void IGeminiChunkSink.Blocked()
    {
        if (!_writer.Finished)
        {
            _writer.Finish(_output!, "content_filter");
        }
    }

    void IGeminiChunkSink.Usage(in TranslatedUsage usage) => _usage = usage;

    private void OnEvent(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (data.IsEmpty || data.SequenceEqual("[DONE]"u8))
        {
            return;
        }

        Start(output);
        _output = output;
        GeminiChunkReader.Read(data, this, ref _scratch);
        _output = null;
    }

    private void Start(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _started = true;
            _writer.Role(output);
        }
    }
}
