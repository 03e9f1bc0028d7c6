using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Json;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>One ConverseStream response, AWS event-stream frames in, OpenAI chunks out, each frame as soon as it is whole.</summary>
/// <remarks>
/// <code>
/// messageStart                                  → role chunk
/// contentBlockStart {start.toolUse}             → tool_calls[{index, id, name}]  (index counts tool blocks, from 0)
/// contentBlockDelta {delta.text}                → content
/// contentBlockDelta {delta.toolUse.input}       → tool_calls[{index, arguments}]
/// contentBlockDelta {delta.reasoningContent}    → reasoning_content (signatures and redacted content dropped)
/// messageStop {stopReason}                      → finish chunk
/// metadata {usage}                              → kept; the usage chunk is written by Complete (it comes after messageStop)
/// exception / error frame                       → an OpenAI error event; nothing after it but [DONE]
/// </code>
/// The forced <see cref="BedrockRequestWriter.JsonResponseTool"/> block streams as content, and its tool_use stop as stop.
/// Per-chunk work allocates nothing: the frame buffer, the unescape buffer and the block table are rented once.
/// </remarks>
internal sealed class BedrockStreamTranslator : IChatStreamTranslator
{
    private const int JsonAnswerBlock = -1;
    private const int TextBlock = 0;

    private readonly OpenAIChunkWriter _writer;
    private readonly EventStreamFrameReader _frames = new();
    private byte[] _unescaped = ArrayPool<byte>.Shared.Rent(1024);
    private int[] _blocks = new int[8]; // contentBlockIndex → tool index + 1, JsonAnswerBlock, or TextBlock
    private int _tools;
    private bool _started;
    private bool _jsonAnswer;
    /// <summary>The stream carried an exception frame, a bad CRC or a cut frame: not a success, never cached.</summary>
    public bool UpstreamFailed { get; private set; }
    private TranslatedUsage _usage = new(Accounting.UsageWireFormat.BedrockEventStream);

    public BedrockStreamTranslator(in CompatResponseInfo info) => _writer = new OpenAIChunkWriter(info);

    public Accounting.Usage Usage => _usage.ForLog;

    public void Write(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        if (UpstreamFailed)
        {
            return;
        }

        _frames.Append(chunk);
        while (true)
        {
            var result = _frames.TryRead(out var frame);
            if (result == EventStreamReadResult.NeedMoreData)
            {
                return;
            }

            if (result == EventStreamReadResult.Corrupt)
            {
                Fail(output, "The Bedrock event stream could not be read (bad length or checksum)."u8, "server_error", default);
                return;
            }

            if (!frame.MessageType.SequenceEqual("event"u8))
            {
                WriteException(frame, output);
                return;
            }

            OnEvent(frame.EventType, frame.Payload, output);
        }
    }

    public void Complete(IBufferWriter<byte> output)
    {
        if (!UpstreamFailed && _frames.Buffered > 0)
        {
            Fail(output, "The Bedrock event stream ended inside a frame."u8, "server_error", default);
        }

        if (UpstreamFailed)
        {
            OpenAIChunkWriter.Done(output);
            return;
        }

        EnsureStarted(output);
        _writer.Complete(output, _usage.ForCaller);
    }

    public void Dispose()
    {
        _frames.Dispose();
        _writer.Dispose();
        if (_unescaped.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_unescaped);
            _unescaped = [];
        }
    }

    private void OnEvent(ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        if (type.SequenceEqual("contentBlockDelta"u8))
        {
            OnDelta(ref reader, output);
        }
        else if (type.SequenceEqual("contentBlockStart"u8))
        {
            OnBlockStart(ref reader, output);
        }
        else if (type.SequenceEqual("messageStart"u8))
        {
            EnsureStarted(output);
        }
        else if (type.SequenceEqual("messageStop"u8))
        {
            OnMessageStop(ref reader, output);
        }
        else if (type.SequenceEqual("metadata"u8))
        {
            while (BedrockResponseReader.NextProperty(ref reader, 0))
            {
                bool isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage)
                {
                    _usage.Read(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary><c>{contentBlockIndex, delta: {text} | {toolUse: {input}} | {reasoningContent: {text}}}</c>.</summary>
    private void OnDelta(ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        int block = 0;
        while (BedrockResponseReader.NextProperty(ref reader, 0))
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8))
            {
                reader.Read();
                reader.TryGetInt32(out block);
                continue;
            }

            bool isDelta = reader.ValueTextEquals("delta"u8);
            reader.Read();
            if (!isDelta || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            // contentBlockIndex precedes delta in every recorded event; a delta read before its index counts as block 0.
            EnsureStarted(output);
            while (BedrockResponseReader.NextProperty(ref reader, 1))
            {
                if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    _writer.Content(output, Unescape(ref reader));
                }
                else if (reader.ValueTextEquals("toolUse"u8))
                {
                    reader.Read();
                    OnToolInput(ref reader, block, output);
                }
                else if (reader.ValueTextEquals("reasoningContent"u8))
                {
                    reader.Read();
                    OnReasoning(ref reader, output);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }

    private void OnToolInput(ref Utf8JsonReader reader, int block, IBufferWriter<byte> output)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        int depth = reader.CurrentDepth;
        while (BedrockResponseReader.NextProperty(ref reader, depth))
        {
            bool isInput = reader.ValueTextEquals("input"u8);
            reader.Read();
            if (!isInput || reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            int kind = block >= 0 && block < _blocks.Length ? _blocks[block] : TextBlock;
            if (kind == JsonAnswerBlock)
            {
                _writer.Content(output, Unescape(ref reader));
            }
            else if (kind > 0)
            {
                _writer.ToolCallArguments(output, kind - 1, Unescape(ref reader));
            }
        }
    }

    private void OnReasoning(ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        int depth = reader.CurrentDepth;
        while (BedrockResponseReader.NextProperty(ref reader, depth))
        {
            bool isText = reader.ValueTextEquals("text"u8);
            reader.Read();
            if (isText && reader.TokenType == JsonTokenType.String)
            {
                _writer.Reasoning(output, Unescape(ref reader));
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary><c>{contentBlockIndex, start: {toolUse: {toolUseId, name}}}</c>: a tool call opens.</summary>
    private void OnBlockStart(ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        int block = -1;
        string? id = null, name = null;
        while (BedrockResponseReader.NextProperty(ref reader, 0))
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8))
            {
                reader.Read();
                reader.TryGetInt32(out block);
                continue;
            }

            bool isStart = reader.ValueTextEquals("start"u8);
            reader.Read();
            if (!isStart || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (BedrockResponseReader.NextProperty(ref reader, 1))
            {
                bool isToolUse = reader.ValueTextEquals("toolUse"u8);
                reader.Read();
                if (!isToolUse || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (BedrockResponseReader.NextProperty(ref reader, 2))
                {
                    bool isId = reader.ValueTextEquals("toolUseId"u8);
                    bool isName = reader.ValueTextEquals("name"u8);
                    reader.Read();
                    if (isId && reader.TokenType == JsonTokenType.String)
                    {
                        id = reader.GetString();
                    }
                    else if (isName && reader.TokenType == JsonTokenType.String)
                    {
                        name = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }

        if (block < 0 || name is null)
        {
            return;
        }

        if (block >= _blocks.Length)
        {
            Array.Resize(ref _blocks, Math.Max(_blocks.Length * 2, block + 1));
        }

        EnsureStarted(output);
        if (name == BedrockRequestWriter.JsonResponseTool)
        {
            _blocks[block] = JsonAnswerBlock;
            _jsonAnswer = true;
            return;
        }

        _blocks[block] = ++_tools;
        _writer.ToolCallStart(output, _tools - 1, id ?? "", name);
    }

    private void OnMessageStop(ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        string finish = "stop";
        while (BedrockResponseReader.NextProperty(ref reader, 0))
        {
            bool isStop = reader.ValueTextEquals("stopReason"u8);
            reader.Read();
            if (isStop && reader.TokenType == JsonTokenType.String)
            {
                finish = BedrockStopReason.ToFinishReason(reader.ValueSpan);
            }
            else
            {
                reader.Skip();
            }
        }

        if (_jsonAnswer && finish == "tool_calls")
        {
            finish = "stop";
        }

        EnsureStarted(output);
        if (!_writer.Finished)
        {
            _writer.Finish(output, finish);
        }
    }

    /// <summary>An <c>exception</c> frame (<c>:exception-type</c>, payload <c>{"message"}</c>) or an <c>error</c> frame (<c>:error-code</c>, <c>:error-message</c>).</summary>
    private void WriteException(in EventStreamFrame frame, IBufferWriter<byte> output)
    {
        var message = frame.ErrorMessage;
        var reader = new Utf8JsonReader(frame.Payload);
        if (message.IsEmpty && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (BedrockResponseReader.NextProperty(ref reader, 0))
            {
                bool isMessage = reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8);
                reader.Read();
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    message = Unescape(ref reader);
                    break;
                }

                reader.Skip();
            }
        }

        if (message.IsEmpty)
        {
            message = "Bedrock ended the stream with an error."u8;
        }

        var code = frame.ExceptionType;
        string type = code.SequenceEqual("validationException"u8) ? "invalid_request_error"
            : code.SequenceEqual("throttlingException"u8) || code.SequenceEqual("serviceQuotaExceededException"u8) ? "rate_limit_error"
            : "server_error";
        Fail(output, message, type, code);
    }

    private void Fail(IBufferWriter<byte> output, ReadOnlySpan<byte> message, string type, ReadOnlySpan<byte> code)
    {
        CompatStreamError.Write(output, message, type, code);
        UpstreamFailed = true;
    }

    private void EnsureStarted(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _started = true;
            _writer.Role(output);
        }
    }

    /// <summary>The current string token's UTF-8, unescaped into the rented buffer only when it has escapes.</summary>
    private ReadOnlySpan<byte> Unescape(scoped ref Utf8JsonReader reader) => Utf8JsonStrings.Unescape(ref reader, ref _unescaped);
}
