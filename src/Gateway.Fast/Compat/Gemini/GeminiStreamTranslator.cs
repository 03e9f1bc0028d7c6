using System.Buffers;

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
internal sealed class GeminiStreamTranslator(in CompatResponseInfo info)
    : SseChatStreamTranslator(info, Accounting.UsageWireFormat.Gemini), IGeminiChunkSink
{
    private IBufferWriter<byte>? _output;

    void IGeminiChunkSink.Text(ReadOnlySpan<byte> utf8, bool thought)
    {
        if (thought)
        {
            Writer.Reasoning(_output!, utf8);
        }
        else
        {
            Writer.Content(_output!, utf8);
        }
    }

    void IGeminiChunkSink.FunctionCall(string name, ReadOnlySpan<byte> argsJson, string? id, string? thoughtSignature)
    {
        int index = ToolCalls++;
        Writer.ToolCallStart(_output!, index, GeminiToolCallIds.Create(Writer.Info.Id, index, thoughtSignature), name);
        Writer.ToolCallArguments(_output!, index, argsJson.IsEmpty ? "{}"u8 : argsJson);
    }

    void IGeminiChunkSink.Finish(ReadOnlySpan<byte> reason)
    {
        if (!Writer.Finished)
        {
            Writer.Finish(_output!, GeminiFinishReason.ToOpenAI(reason, ToolCalls > 0));
        }
    }

    void IGeminiChunkSink.Blocked()
    {
        if (!Writer.Finished)
        {
            Writer.Finish(_output!, "content_filter");
        }
    }

    void IGeminiChunkSink.Usage(in TranslatedUsage usage) => UsageSoFar = usage;

    protected override void OnEvent(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        _output = output;
        GeminiChunkReader.Read(data, this, ref Scratch);
        _output = null;
    }
}
