using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Bedrock <c>invoke-with-response-stream</c>: event-stream <c>chunk</c> events whose <c>bytes</c> hold base64 JSON.</summary>
/// <remarks>
/// Claude models stream Anthropic's event objects (message_start … message_stop, the last one carrying
/// <c>amazon-bedrock-invocationMetrics</c>); other models stream Nova's <c>{"contentBlockDelta":…}</c> objects.
/// </remarks>
internal static class BedrockInvokeStreamResponses
{
    public static SimResponse Build(in ResponseKey key)
    {
        bool claude = key.Model is not null && key.Model.Contains("anthropic", StringComparison.Ordinal);
        var b = new ResponseBuilder();

        Chunk(b, claude
            ? "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_sim\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + key.PromptTokens + ",\"output_tokens\":1}}}"
            : "{\"messageStart\":{\"role\":\"assistant\"}}");
        if (claude)
        {
            Chunk(b, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        }

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            string token = JsonEncodedText.Encode(SimText.Token(i)).ToString();
            Chunk(b, claude
                ? "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + token + "\"}}"
                : "{\"contentBlockDelta\":{\"delta\":{\"text\":\"" + token + "\"},\"contentBlockIndex\":0}}");
        }

        b.EndTokens();
        string metrics = "\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":" + key.PromptTokens +
            ",\"outputTokenCount\":" + key.Tokens + ",\"invocationLatency\":42,\"firstByteLatency\":21}";
        if (claude)
        {
            Chunk(b, "{\"type\":\"content_block_stop\",\"index\":0}");
            Chunk(b, "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + key.Tokens + "}}");
            Chunk(b, "{\"type\":\"message_stop\"," + metrics + "}");
        }
        else
        {
            Chunk(b, "{\"contentBlockStop\":{\"contentBlockIndex\":0}}");
            Chunk(b, "{\"messageStop\":{\"stopReason\":\"end_turn\"}}");
            Chunk(b, "{\"metadata\":{\"usage\":{\"inputTokens\":" + key.PromptTokens + ",\"outputTokens\":" + key.Tokens +
                "}}," + metrics + "}");
        }

        return b.Build(ContentTypes.EventStream, isStream: true);
    }

    private static void Chunk(ResponseBuilder b, string json)
    {
        var w = b.Payload();
        w.WriteStartObject();
        w.WriteBase64String("bytes"u8, System.Text.Encoding.UTF8.GetBytes(json));
        w.WriteString("p"u8, SimText.Padding(json.Length));
        w.WriteEndObject();
        b.EndEventStream("chunk"u8);
    }
}
