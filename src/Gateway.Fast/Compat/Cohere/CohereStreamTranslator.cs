using System.Buffers;
using Gateway.Fast.Sse;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>
/// One Cohere v2 chat stream turned into OpenAI chunks as its events arrive: <c>message-start</c> → the role chunk;
/// <c>content-delta</c> → content (or reasoning for thinking blocks); <c>tool-plan-delta</c> → content (the plan is the
/// assistant's visible text, and it goes back to Cohere as <c>tool_plan</c>); <c>tool-call-start</c>/<c>-delta</c> →
/// tool-call chunks; <c>message-end</c> → the finish chunk and the usage kept for the usage chunk.
/// </summary>
/// <remarks>Content-, tool-call- and citation-start/end events carry nothing OpenAI's chunks need and are skipped.</remarks>
internal sealed class CohereStreamTranslator : IChatStreamTranslator
{
    private readonly SseEventReader _events = new();
    private readonly OpenAIChunkWriter _writer;
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(1024);
    private TranslatedUsage _usage = new(Accounting.UsageWireFormat.Cohere);
    private int _toolCalls;
    private bool _started;

    public CohereStreamTranslator(in CompatResponseInfo info) => _writer = new OpenAIChunkWriter(info);

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

    private void OnEvent(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (data.IsEmpty || data.SequenceEqual("[DONE]"u8))
        {
            return;
        }

        var e = CohereStreamEvent.Read(data, ref _scratch);
        Start(output);
        ReadOnlySpan<byte> type = e.Type;
        if (type.SequenceEqual("content-delta"u8))
        {
            if (e.Thinking)
            {
                _writer.Reasoning(output, e.Text);
            }
            else
            {
                _writer.Content(output, e.Text);
            }
        }
        else if (type.SequenceEqual("tool-plan-delta"u8))
        {
            _writer.Content(output, e.Text);
        }
        else if (type.SequenceEqual("tool-call-start"u8))
        {
            int index = _toolCalls++;
            _writer.ToolCallStart(output, index, e.ToolCallId ?? $"call_{index}", e.ToolName ?? "");
            _writer.ToolCallArguments(output, index, e.Text);
        }
        else if (type.SequenceEqual("tool-call-delta"u8))
        {
            _writer.ToolCallArguments(output, Math.Max(0, _toolCalls - 1), e.Text);
        }
        else if (type.SequenceEqual("message-end"u8))
        {
            if (e.HasUsage)
            {
                _usage = e.Usage;
            }

            if (!_writer.Finished)
            {
                _writer.Finish(output, e.FinishReason.IsEmpty ? (_toolCalls > 0 ? "tool_calls" : "stop") : CohereFinishReason.ToOpenAI(e.FinishReason, _toolCalls > 0));
            }
        }
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
