using System.Buffers;
using Gateway.Fast.Sse;

namespace Gateway.Fast.Compat;

/// <summary>
/// What every translator of a provider's SSE chat stream does alike: split the events as bytes arrive, start with the
/// role chunk, keep the usage, and end with the finish chunk (when the provider's stream gave none), the usage chunk and
/// <c>[DONE]</c>. A family's subclass turns one event's JSON into OpenAI chunks in <see cref="OnEvent"/>.
/// </summary>
internal abstract class SseChatStreamTranslator : IChatStreamTranslator
{
    private readonly SseEventReader _events = new();
    private bool _started;

    /// <summary>A translator of one response, whose usage objects are in <paramref name="usageFormat"/>.</summary>
    protected SseChatStreamTranslator(in CompatResponseInfo info, Accounting.UsageWireFormat usageFormat)
    {
        Writer = new OpenAIChunkWriter(info);
        UsageSoFar = new TranslatedUsage(usageFormat);
    }

    /// <summary>Writes the OpenAI chunks.</summary>
    protected OpenAIChunkWriter Writer { get; }

    /// <summary>The usage read so far; a subclass reads each usage object into it (or replaces it, when the provider repeats it whole).</summary>
    protected TranslatedUsage UsageSoFar;

    /// <summary>A pooled buffer for unescaping one JSON string of an event; the reader may swap it for a larger one.</summary>
    protected byte[] Scratch = ArrayPool<byte>.Shared.Rent(1024);

    /// <summary>Tool calls started so far: the index of the next one, and whether the finish is <c>tool_calls</c>.</summary>
    protected int ToolCalls { get; set; }

    public Accounting.Usage Usage => UsageSoFar.ForLog;

    public void Write(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        _events.Append(chunk);
        while (_events.TryRead(out _, out var data))
        {
            Dispatch(data, output);
        }
    }

    public void Complete(IBufferWriter<byte> output)
    {
        while (_events.TryReadTrailing(out _, out var data))
        {
            Dispatch(data, output);
        }

        Start(output);
        Writer.Complete(output, UsageSoFar.ForCaller, ToolCalls > 0 ? "tool_calls" : "stop");
    }

    public void Dispose()
    {
        _events.Dispose();
        Writer.Dispose();
        ArrayPool<byte>.Shared.Return(Scratch);
        Scratch = [];
    }

    /// <summary>One event's <c>data</c>, after the role chunk went out.</summary>
    protected abstract void OnEvent(ReadOnlySpan<byte> data, IBufferWriter<byte> output);

    private void Dispatch(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (data.IsEmpty || data.SequenceEqual("[DONE]"u8))
        {
            return;
        }

        Start(output);
        OnEvent(data, output);
    }

    private void Start(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _started = true;
            Writer.Role(output);
        }
    }
}
