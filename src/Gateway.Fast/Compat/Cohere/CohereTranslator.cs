using System.Buffers;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>OpenAI chat completions ↔ Cohere v2 chat (<c>cohere/{model}</c> on <c>/compat</c>, upstream <c>v2/chat</c>).</summary>
/// <remarks>
/// <para>Request (<see cref="CohereRequestWriter"/>): system/developer → <c>system</c> messages (in place); user content
/// as a string or text + <c>image_url</c> parts; assistant text → <c>content</c>, or <c>tool_plan</c> beside
/// <c>tool_calls</c>; tool messages → <c>{role: tool, tool_call_id, content}</c>; tools pass in OpenAI's shape (minus
/// <c>strict</c>); <c>tool_choice</c> required → REQUIRED, none → NONE, auto → omitted, a named function → REQUIRED with
/// only that tool sent; <c>response_format</c> json_object/json_schema → <c>{type: json_object, json_schema?}</c>;
/// <c>stop</c> → <c>stop_sequences</c>; temperature, top_p → <c>p</c>, top_k → <c>k</c>, seed, presence/frequency
/// penalties, <c>max_completion_tokens</c> or <c>max_tokens</c> → <c>max_tokens</c>.</para>
/// <para>Refused with a 400: <c>n</c> ≠ 1, <c>logprobs</c>/<c>top_logprobs</c>, a non-empty <c>logit_bias</c>, audio
/// output, legacy <c>functions</c>, roles other than system/developer/user/assistant/tool, content parts other than text
/// and image_url. Dropped because nothing in the answer depends on them: <c>user</c>, <c>metadata</c>, <c>store</c>,
/// <c>service_tier</c>, <c>parallel_tool_calls</c>, <c>prompt_cache_key</c>, <c>safety_identifier</c>,
/// <c>verbosity</c>, <c>prediction</c>, <c>reasoning_effort</c> (Cohere's <c>thinking</c> switch exists on its
/// reasoning models only, and an unknown one fails the call), <c>stream_options</c> (read by the compat stage).</para>
/// <para>Response: text blocks → content, thinking blocks → <c>reasoning_content</c>, <c>tool_plan</c> → content (so
/// it travels back as <c>tool_plan</c>), <c>tool_calls</c> as they are (Cohere's ids kept); finish reasons by
/// <see cref="CohereFinishReason"/>; usage from <c>usage.tokens</c> (else <c>billed_units</c>), cached from
/// <c>cached_tokens</c>. Not translated: citations, documents, logprobs.</para>
/// </remarks>
internal sealed class CohereTranslator : IChatTranslator
{
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; } = [];

    public string? WriteRequest(in CompatChatRequest request, IBufferWriter<byte> body, out string upstreamPath) =>
        CohereRequestWriter.Write(request, body, out upstreamPath);

    public Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, in CompatResponseInfo info, IBufferWriter<byte> output)
    {
        var completion = CohereCompletionReader.Read(native);
        ChatCompletionWriter.Write(output, info, completion);
        return completion.Usage.ForLog;
    }

    public IChatStreamTranslator CreateStream(in CompatResponseInfo info) => new CohereStreamTranslator(info);

    public string? ReadErrorMessage(ReadOnlySpan<byte> native) => CohereErrors.ReadMessage(native);
}
