using System.Buffers;
using System.Text;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>Collects a whole <c>generateContent</c> answer into a <see cref="ChatCompletion"/>.</summary>
internal sealed class GeminiCompletionReader : IGeminiChunkSink
{
    private readonly ArrayBufferWriter<byte> _text = new(256);
    private readonly ArrayBufferWriter<byte> _reasoning = new(64);
    private readonly ChatCompletion _completion = new(Accounting.UsageWireFormat.Gemini);
    private readonly string _responseId;
    private string? _finish;
    private bool _blocked;

    private GeminiCompletionReader(string responseId) => _responseId = responseId;

    public static ChatCompletion Read(ReadOnlySpan<byte> native, string responseId)
    {
        var reader = new GeminiCompletionReader(responseId);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            GeminiChunkReader.Read(native, reader, ref scratch);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        return reader.Build();
    }

    void IGeminiChunkSink.Text(ReadOnlySpan<byte> utf8, bool thought) => (thought ? _reasoning : _text).Write(utf8);

    void IGeminiChunkSink.FunctionCall(string name, ReadOnlySpan<byte> argsJson, string? id, string? thoughtSignature)
    {
        int index = _completion.ToolCalls.Count;
        string args = argsJson.IsEmpty ? "{}" : Encoding.UTF8.GetString(argsJson);
        _completion.ToolCalls.Add(new ChatToolCall(GeminiToolCallIds.Create(_responseId, index, thoughtSignature), name, args));
    }

    void IGeminiChunkSink.Finish(ReadOnlySpan<byte> reason) => _finish = GeminiFinishReason.ToOpenAI(reason, _completion.ToolCalls.Count > 0);

    void IGeminiChunkSink.Blocked() => _blocked = true;

    void IGeminiChunkSink.Usage(in TranslatedUsage usage) => _completion.Usage = usage;

    private ChatCompletion Build()
    {
        // Tool calls with text alongside: OpenAI carries both, content first.
        _completion.Content = _text.WrittenCount > 0 || _completion.ToolCalls.Count == 0 ? Encoding.UTF8.GetString(_text.WrittenSpan) : null;
        _completion.Reasoning = _reasoning.WrittenCount > 0 ? Encoding.UTF8.GetString(_reasoning.WrittenSpan) : null;
        _completion.FinishReason = _blocked ? "content_filter" : _finish ?? (_completion.ToolCalls.Count > 0 ? "tool_calls" : "stop");
        return _completion;
    }
}
