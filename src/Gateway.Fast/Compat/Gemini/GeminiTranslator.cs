using System.Buffers;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// OpenAI chat completions ↔ Google AI Studio <c>generateContent</c> (<c>google-ai-studio/{model}</c> on <c>/compat</c>).
/// </summary>
/// <remarks>
/// <para>Request (<see cref="GeminiRequestWriter"/>): system/developer → <c>systemInstruction</c>; user/assistant →
/// <c>contents</c> with roles user/model; text, <c>image_url</c> (data: → <c>inlineData</c>, http(s) → <c>fileData</c>
/// with a MIME type guessed from the extension, else <c>image/*</c>), <c>input_audio</c> and <c>file.file_data</c>
/// parts; assistant <c>tool_calls</c> → <c>functionCall</c> parts; tool messages → <c>functionResponse</c> parts named
/// after the earlier call with the same id, the result as <c>{"content": text}</c>; tools → <c>functionDeclarations</c>
/// with schemas cut to Gemini's subset (<see cref="GeminiSchemaWriter"/> lists what is dropped); <c>tool_choice</c> →
/// <c>functionCallingConfig</c> AUTO/NONE/ANY (+ <c>allowedFunctionNames</c>); <c>response_format</c> →
/// <c>responseMimeType</c> (+ <c>responseSchema</c>); <c>stop</c> → <c>stopSequences</c>; temperature, top_p, top_k,
/// seed, presence/frequency penalties, <c>max_completion_tokens</c> or <c>max_tokens</c> → <c>maxOutputTokens</c>;
/// <c>reasoning_effort</c> → <c>thinkingConfig</c>.</para>
/// <para>Refused with a 400: <c>n</c> ≠ 1, <c>logprobs</c>/<c>top_logprobs</c>, a non-empty <c>logit_bias</c>, audio
/// output, legacy <c>functions</c>, <c>web_search_options</c>, roles other than system/developer/user/assistant/tool,
/// content parts other than the above, <c>$ref</c>/<c>allOf</c> schemas. Dropped because nothing in the answer depends
/// on them: <c>user</c>, <c>metadata</c>, <c>store</c>, <c>service_tier</c>, <c>parallel_tool_calls</c> (Gemini decides
/// itself), <c>prompt_cache_key</c>, <c>safety_identifier</c>, <c>verbosity</c>, <c>prediction</c>, assistant
/// <c>reasoning_content</c> in the history, and <c>stream_options</c> (read by the compat stage). System messages in
/// the middle of a conversation lose their position (Gemini has one <c>systemInstruction</c>).</para>
/// <para>Response: text → content; <c>thought: true</c> parts → <c>reasoning_content</c>; <c>functionCall</c> →
/// <c>tool_calls</c> with ids generated per response that carry the call's <c>thoughtSignature</c> back to Gemini
/// (<see cref="GeminiToolCallIds"/>); finish reasons by <see cref="GeminiFinishReason"/>; usage prompt =
/// <c>promptTokenCount</c>, completion = <c>candidatesTokenCount + thoughtsTokenCount</c>, cached =
/// <c>cachedContentTokenCount</c>. Not translated: <c>inlineData</c> output (images), code execution parts, grounding and
/// citation metadata, safety ratings, Vertex's streamed <c>partialArgs</c> (AI Studio sends whole calls).</para>
/// </remarks>
internal sealed class GeminiTranslator : IChatTranslator
{
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; } = [];

    public string? WriteRequest(in CompatChatRequest request, IBufferWriter<byte> body, out string upstreamPath) =>
        GeminiRequestWriter.Write(request, body, out upstreamPath);

    public Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, in CompatResponseInfo info, IBufferWriter<byte> output)
    {
        var completion = GeminiCompletionReader.Read(native, info.Id);
        ChatCompletionWriter.Write(output, info, completion);
        return completion.Usage.ForLog;
    }

    public IChatStreamTranslator CreateStream(in CompatResponseInfo info) => new GeminiStreamTranslator(info);

    public string? ReadErrorMessage(ReadOnlySpan<byte> native) => GeminiErrors.ReadMessage(native);
}
