using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Sse;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>One Anthropic Messages stream turned into OpenAI chunks, event by event as the bytes arrive.</summary>
/// <remarks>
/// <code>
/// message_start                          → role chunk; usage (prompt side)
/// content_block_start text / thinking    → content / reasoning_content (if the block starts with text)
/// content_block_start tool_use           → tool_calls[i] {id, name, arguments: ""}   (i counts tool blocks from 0)
/// content_block_delta text_delta         → content
/// content_block_delta thinking_delta     → reasoning_content
/// content_block_delta input_json_delta   → tool_calls[i].function.arguments fragment
/// content_block_stop                     → "{}" for a tool whose input never arrived (OpenAI never sends empty arguments)
/// message_delta                          → finish chunk; usage (final values win, see TranslatedUsage)
/// error                                  → {"error": …} event, then nothing more
/// ping, message_stop, signature_delta, citations_delta, server-tool blocks → nothing
/// </code>
/// The <see cref="AnthropicWire.JsonToolName"/> tool's input is streamed as <c>content</c>. Blocks arrive one at a
/// time (start, deltas, stop), so only the open block is tracked. Per chunk this allocates nothing: the event is read
/// with <see cref="Utf8JsonReader"/> and escaped text is unescaped into a pooled buffer.
/// </remarks>
internal sealed partial class AnthropicStreamTranslator : IChatStreamTranslator
{
    private readonly OpenAIChunkWriter _chunks;
    private readonly SseEventReader _sse = new();
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(1024);
    private Block _block;
    private bool _blockHasInput;
    private int _toolIndex = -1;
    private int _toolCalls;
    private bool _started;
    private TranslatedUsage _usage = new(Accounting.UsageWireFormat.Anthropic);

    public AnthropicStreamTranslator(in CompatResponseInfo info) => _chunks = new OpenAIChunkWriter(info);

    private enum Block : byte
    {
        None,
        Text,
        Thinking,
        Tool,
        JsonAnswer,
        Other,
    }

    /// <summary>The upstream sent an <c>error</c> event (or an unreadable one): the error event was written and the stream is over.</summary>
    public bool UpstreamFailed { get; private set; }

    public Accounting.Usage Usage => _usage.ForLog;

    public void Write(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        if (UpstreamFailed)
        {
            return;
        }

        _sse.Append(chunk);
        while (!UpstreamFailed && _sse.TryRead(out _, out ReadOnlySpan<byte> data))
        {
            Handle(data, output);
        }
    }

    public void Complete(IBufferWriter<byte> output)
    {
        // The recorded SDK stream ends without the blank line after its last event.
        if (!UpstreamFailed && _sse.TryReadTrailing(out _, out ReadOnlySpan<byte> data))
        {
            Handle(data, output);
        }

        if (UpstreamFailed)
        {
            return;
        }

        Start(output);
        _chunks.Complete(output, _usage.ForCaller);
    }

    public void Dispose()
    {
        _sse.Dispose();
        _chunks.Dispose();
        ArrayPool<byte>.Shared.Return(_scratch);
        _scratch = [];
    }

    private void Handle(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Event e;
        try
        {
            e = Parse(data);
        }
        catch (JsonException)
        {
            // Half an event cannot be translated, and the caller already has a 200: end with an error event.
            CompatStreamError.Write(output, "The upstream sent an unreadable stream event.", "api_error");
            UpstreamFailed = true;
            return;
        }

        switch (e.Type)
        {
            case EventType.MessageStart:
                Start(output);
                break;
            case EventType.BlockStart:
                Start(output);
                OpenBlock(output, e);
                break;
            case EventType.BlockDelta:
                Delta(output, e);
                break;
            case EventType.BlockStop:
                CloseBlock(output);
                break;
            case EventType.MessageDelta:
                if (!e.StopReason.IsEmpty)
                {
                    Start(output);
                    _chunks.Finish(output, AnthropicWire.FinishReason(e.StopReason, _toolCalls > 0));
                }

                break;
            case EventType.Error:
                AnthropicErrors.WriteStreamError(output, data);
                UpstreamFailed = true;
                break;
        }
    }

    private void Start(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _started = true;
            _chunks.Role(output);
        }
    }

    private void OpenBlock(IBufferWriter<byte> output, in Event e)
    {
        _blockHasInput = false;
        if (e.BlockType.SequenceEqual("text"u8))
        {
            _block = Block.Text;
            _chunks.Content(output, e.Text);
        }
        else if (e.BlockType.SequenceEqual("thinking"u8))
        {
            _block = Block.Thinking;
            _chunks.Reasoning(output, e.Text);
        }
        else if (e.BlockType.SequenceEqual("tool_use"u8))
        {
            if (e.Name == AnthropicWire.JsonToolName)
            {
                _block = Block.JsonAnswer;
                return;
            }

            _block = Block.Tool;
            _toolIndex = _toolCalls++;
            _chunks.ToolCallStart(output, _toolIndex, e.Id ?? "", e.Name ?? "");
        }
        else
        {
            _block = Block.Other; // server_tool_use, *_tool_result, redacted_thinking: no OpenAI form
        }
    }

    private void Delta(IBufferWriter<byte> output, in Event e)
    {
        if (e.DeltaType.SequenceEqual("text_delta"u8))
        {
            _chunks.Content(output, e.Text);
        }
        else if (e.DeltaType.SequenceEqual("thinking_delta"u8))
        {
            _chunks.Reasoning(output, e.Text);
        }
        else if (e.DeltaType.SequenceEqual("input_json_delta"u8))
        {
            _blockHasInput |= !e.Text.IsEmpty;
            if (_block == Block.Tool)
            {
                _chunks.ToolCallArguments(output, _toolIndex, e.Text);
            }
            else if (_block == Block.JsonAnswer)
            {
                _chunks.Content(output, e.Text);
            }
        }
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (!_blockHasInput)
        {
            if (_block == Block.Tool)
            {
                _chunks.ToolCallArguments(output, _toolIndex, "{}"u8);
            }
            else if (_block == Block.JsonAnswer)
            {
                _chunks.Content(output, "{}"u8);
            }
        }

        _block = Block.None;
    }
}
