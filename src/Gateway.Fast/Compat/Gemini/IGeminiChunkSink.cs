namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// Receives what <see cref="GeminiChunkReader"/> finds in one <c>GenerateContentResponse</c>, in wire order: the whole
/// answer (<see cref="GeminiTranslator.WriteResponse"/>) and every streamed chunk go through the same reader.
/// </summary>
/// <remarks>A struct-free interface on purpose: both sinks are sealed classes that hold per-response state.</remarks>
internal interface IGeminiChunkSink
{
    /// <summary>A text part, unescaped UTF-8; <paramref name="thought"/> for <c>"thought": true</c> parts (thinking summaries).</summary>
    void Text(ReadOnlySpan<byte> utf8, bool thought);

    /// <summary>A <c>functionCall</c> part: <paramref name="argsJson"/> is the <c>args</c> object, minified, or empty when absent.</summary>
    void FunctionCall(string name, ReadOnlySpan<byte> argsJson, string? id, string? thoughtSignature);

    /// <summary>The candidate's <c>finishReason</c> (raw enum bytes), after its parts.</summary>
    void Finish(ReadOnlySpan<byte> reason);

    /// <summary><c>promptFeedback.blockReason</c>: the prompt was refused and no candidate comes.</summary>
    void Blocked();

    /// <summary>The chunk's <c>usageMetadata</c>; every streamed chunk repeats it, the last one wins.</summary>
    void Usage(in TranslatedUsage usage);
}
