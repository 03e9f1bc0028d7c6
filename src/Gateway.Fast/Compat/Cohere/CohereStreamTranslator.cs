using System.Buffers;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>
/// One Cohere v2 chat stream turned into OpenAI chunks as its events arrive: <c>message-start</c> → the role chunk;
/// <c>content-delta</c> → content (or reasoning for thinking blocks); <c>tool-plan-delta</c> → content (the plan is the
/// assistant's visible text, and it goes back to Cohere as <c>tool_plan</c>); <c>tool-call-start</c>/<c>-delta</c> →
/// tool-call chunks; <c>message-end</c> → the finish chunk and the usage kept for the usage chunk.
/// </summary>
/// <remarks>Content-, tool-call- and citation-start/end events carry nothing OpenAI's chunks need and are skipped.</remarks>
internal sealed class CohereStreamTranslator(in CompatResponseInfo info) : SseChatStreamTranslator(info, Accounting.UsageWireFormat.Cohere)
{
    protected override void OnEvent(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        var e = CohereStreamEvent.Read(data, ref Scratch);
        ReadOnlySpan<byte> type = e.Type;
        if (type.SequenceEqual("content-delta"u8))
        {
            if (e.Thinking)
            {
                Writer.Reasoning(output, e.Text);
            }
            else
            {
                Writer.Content(output, e.Text);
            }
        }
        else if (type.SequenceEqual("tool-plan-delta"u8))
        {
            Writer.Content(output, e.Text);
        }
        else if (type.SequenceEqual("tool-call-start"u8))
        {
            int index = ToolCalls++;
            Writer.ToolCallStart(output, index, e.ToolCallId ?? $"call_{index}", e.ToolName ?? "");
            Writer.ToolCallArguments(output, index, e.Text);
        }
        else if (type.SequenceEqual("tool-call-delta"u8))
        {
            Writer.ToolCallArguments(output, Math.Max(0, ToolCalls - 1), e.Text);
        }
        else if (type.SequenceEqual("message-end"u8))
        {
            if (e.HasUsage)
            {
                UsageSoFar = e.Usage;
            }

            if (!Writer.Finished)
            {
                Writer.Finish(output, e.FinishReason.IsEmpty ? (ToolCalls > 0 ? "tool_calls" : "stop") : CohereFinishReason.ToOpenAI(e.FinishReason, ToolCalls > 0));
            }
        }
    }
}
