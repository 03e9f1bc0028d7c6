using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>OpenAI chat completions ↔ Amazon Bedrock Converse (<c>model/{id}/converse</c>, <c>model/{id}/converse-stream</c>).</summary>
/// <remarks>
/// <para>Request (<see cref="BedrockRequestWriter"/>):</para>
/// <list type="bullet">
/// <item><c>system</c>/<c>developer</c> messages, wherever they stand → <c>system: [{text}]</c>.</item>
/// <item>user/assistant → <c>messages[{role, content: [blocks]}]</c>; consecutive messages of one Converse role are
/// merged into one turn (Converse wants the roles to alternate); empty strings leave no block.</item>
/// <item><c>image_url</c> data: URLs (png, jpeg, gif, webp) → <c>{image: {format, source: {bytes}}}</c>. An http(s)
/// image URL is a 400: Converse takes bytes only, and the gateway does not fetch URLs on a caller's behalf.</item>
/// <item>assistant <c>tool_calls</c> → <c>{toolUse: {toolUseId, name, input}}</c> (arguments must be a JSON object);
/// <c>role: "tool"</c> → a user turn's <c>{toolResult: {toolUseId, content: [{text}]}}</c> (always text blocks: the
/// result is passed as the caller wrote it).</item>
/// <item><c>max_completion_tokens</c> (else <c>max_tokens</c>), <c>temperature</c>, <c>top_p</c>, <c>stop</c> →
/// <c>inferenceConfig {maxTokens, temperature, topP, stopSequences}</c>.</item>
/// <item><c>top_k</c> → <c>additionalModelRequestFields</c> for Anthropic (<c>top_k</c>) and Nova
/// (<c>inferenceConfig.topK</c>) models; 400 for other families, which have no such parameter.</item>
/// <item><c>tools</c> → <c>toolConfig.tools[].toolSpec {name, description, inputSchema.json}</c> (a tool without
/// parameters gets an empty object schema); <c>tool_choice</c> auto → <c>{auto:{}}</c>, required → <c>{any:{}}</c>,
/// named → <c>{tool:{name}}</c>. <c>none</c> has no Converse equivalent: the tools are left out, unless the history
/// already holds tool calls or results (Converse rejects those without a <c>toolConfig</c>); then the tools are sent
/// without a choice, and the model may still call one.</item>
/// <item><c>response_format</c> json_object / json_schema → a forced tool <see cref="BedrockRequestWriter.JsonResponseTool"/>
/// whose input schema is the caller's schema (<c>{"type":"object"}</c> for json_object); its input comes back as the
/// message content with finish_reason stop. Combined with the caller's own tools it is a 400.</item>
/// <item>400: <c>n</c> ≠ 1, <c>logprobs: true</c>, unknown roles, content parts other than text/image_url (user) or
/// text/refusal (assistant), non-text system parts.</item>
/// <item>Dropped, having no Converse equivalent and changing no answer's shape: <c>seed</c>, <c>frequency_penalty</c>,
/// <c>presence_penalty</c>, <c>logit_bias</c>, <c>user</c>, <c>metadata</c>, <c>store</c>, <c>parallel_tool_calls</c>,
/// <c>service_tier</c>, <c>reasoning_effort</c>, a message's <c>name</c>, a tool's <c>strict</c>.</item>
/// </list>
/// <para>Response: text blocks → content, <c>reasoningContent</c> → <c>reasoning_content</c>, <c>toolUse</c> → tool calls;
/// stopReason end_turn/stop_sequence → stop, max_tokens → length, tool_use → tool_calls, guardrail_intervened/
/// content_filtered → content_filter; usage prompt = input + cacheRead + cacheWrite, cached = cacheRead.</para>
/// <para>Errors: Bedrock's <c>{"message": …}</c> body (sometimes <c>Message</c>); in-stream exception frames become an
/// OpenAI error event (<see cref="BedrockStreamTranslator"/>). Authentication is SigV4, done by the caller of
/// <see cref="Signing.SigV4Signer"/> after the body is final.</para>
/// </remarks>
internal sealed class BedrockConverseTranslator : IChatTranslator
{
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders => [];

    public string? WriteRequest(in CompatChatRequest request, IBufferWriter<byte> body, out string upstreamPath)
    {
        string model = BedrockModelAliases.Resolve(request.Model);
        upstreamPath = BedrockPath.Converse(model, request.Stream);
        return BedrockRequestWriter.Write(request with { Model = model }, body);
    }

    public Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, in CompatResponseInfo info, IBufferWriter<byte> output)
    {
        var completion = BedrockResponseReader.Read(native);
        ChatCompletionWriter.Write(output, info, completion);
        return completion.Usage.ForLog;
    }

    public IChatStreamTranslator CreateStream(in CompatResponseInfo info) => new BedrockStreamTranslator(info);

    public string? ReadErrorMessage(ReadOnlySpan<byte> native)
    {
        try
        {
            var reader = new Utf8JsonReader(native);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (BedrockResponseReader.NextProperty(ref reader, 0))
            {
                bool isMessage = reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8);
                reader.Read();
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): there is no message to read.
        }

        return null;
    }
}
