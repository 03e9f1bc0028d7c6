using System.Buffers;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>OpenAI chat completions ↔ Anthropic Messages (<c>POST v1/messages</c>, <c>anthropic-version: 2023-06-01</c>).</summary>
/// <remarks>
/// <para><b>Translated.</b> <c>system</c>/<c>developer</c> messages → top-level <c>system</c> (wherever they stand in the
/// conversation: Anthropic has no mid-conversation system turn); consecutive same-role turns are merged because Anthropic
/// requires alternation; <c>role: tool</c> → user <c>tool_result</c> blocks (consecutive ones in one user turn);
/// assistant <c>tool_calls</c> → <c>tool_use</c> blocks with the arguments string parsed into an object; <c>image_url</c>
/// data URLs → base64 image blocks, http(s) URLs → url image blocks; <c>tools</c> → <c>{name, description, input_schema}</c>;
/// <c>tool_choice</c> auto/none/required/named → auto/none/any/tool; <c>parallel_tool_calls: false</c> →
/// <c>disable_parallel_tool_use</c>; <c>stop</c> → <c>stop_sequences</c>; <c>temperature</c>, <c>top_p</c>,
/// <c>top_k</c>; <c>max_completion_tokens</c> or <c>max_tokens</c> → <c>max_tokens</c>, which Anthropic requires, so
/// <see cref="AnthropicRequestWriter.DefaultMaxTokens"/> when the caller gives neither; <c>user</c> →
/// <c>metadata.user_id</c>; Anthropic's own <c>thinking</c> object is passed through, and thinking text comes back as
/// <c>reasoning_content</c>.</para>
/// <para><b>response_format.</b> The base Messages API has no JSON mode. <c>json_schema</c> becomes a tool named
/// <see cref="AnthropicWire.JsonToolName"/> whose <c>input_schema</c> is the schema, forced with <c>tool_choice</c>
/// (<c>any</c> when the caller has tools of its own, so the model may still call them); its <c>tool_use</c> comes back
/// as the message content, finish reason <c>stop</c>. A caller tool with that name is refused. <c>json_object</c> adds a
/// system instruction to answer with one JSON object: a request, not a guarantee.</para>
/// <para><b>Refused with 400</b> (the caller would silently get something else): <c>n</c> &gt; 1, <c>logprobs</c> /
/// <c>top_logprobs</c>, a non-empty <c>logit_bias</c>, audio output, legacy <c>functions</c>/<c>function_call</c> and
/// <c>role: function</c>, tools other than <c>function</c>, <c>input_audio</c> and <c>file</c> content parts, image URLs
/// that are neither base64 data URLs nor http(s), tool-call arguments that are not a JSON object, <c>tool_choice: none</c>
/// together with <c>json_schema</c>.</para>
/// <para><b>Dropped silently</b> (no Anthropic equivalent, and answering without them is what the caller would get
/// anyway from a model that ignores them): <c>seed</c>, <c>frequency_penalty</c>, <c>presence_penalty</c>,
/// <c>reasoning_effort</c>, <c>store</c>, <c>metadata</c>, <c>service_tier</c>, <c>prediction</c>, image <c>detail</c>,
/// message <c>name</c>, tool <c>strict</c>, assistant <c>reasoning_content</c> (Anthropic would want its signature), and
/// <c>tool_choice</c> when no tools are sent. <c>temperature</c> is passed as given: Anthropic's range is 0–1 and its 400
/// says so. Thinking signatures, server-tool blocks and citations do not come back.</para>
/// </remarks>
internal sealed class AnthropicTranslator : IChatTranslator
{
    private static readonly KeyValuePair<string, string>[] Headers = [new("anthropic-version", "2023-06-01")];

    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders => Headers;

    public string? WriteRequest(in CompatChatRequest request, IBufferWriter<byte> body, out string upstreamPath)
    {
        upstreamPath = "v1/messages";
        return AnthropicRequestWriter.Write(request, body);
    }

    public Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, in CompatResponseInfo info, IBufferWriter<byte> output)
    {
        ChatCompletion completion = AnthropicResponseReader.Read(native);
        ChatCompletionWriter.Write(output, info, completion);
        return completion.Usage.ForLog;
    }

    public IChatStreamTranslator CreateStream(in CompatResponseInfo info) => new AnthropicStreamTranslator(info);

    public string? ReadErrorMessage(ReadOnlySpan<byte> native) => AnthropicErrors.ReadMessage(native);
}
