using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Fast.Compat.Bedrock;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>The official OpenAI .NET SDK reads what the Bedrock translator writes, plain and streamed, as it would read OpenAI.</summary>
public sealed class BedrockOpenAISdkTests
{
    private static ChatClient ClientAnswering(byte[] body, string contentType)
        => new("aws-bedrock/amazon.nova-pro-v1:0", new ApiKeyCredential("k"), new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(new HttpClient(new FixedAnswer(body, contentType))),
        });

    [Fact]
    public async Task Sdk_ReadsATranslatedCompletionWithToolCallsAndUsage()
    {
        byte[] native = Encoding.UTF8.GetBytes("""
            {"output":{"message":{"content":[{"text":"Checking."},{"toolUse":{"input":{"country":"France"},"name":"get_capital","toolUseId":"tooluse_abc"}}],"role":"assistant"}},
             "stopReason":"tool_use","usage":{"inputTokens":20,"outputTokens":9,"cacheReadInputTokens":100,"cacheWriteInputTokens":0}}
            """);
        var output = new ArrayBufferWriter<byte>();
        new BedrockConverseTranslator().WriteResponse(native, BedrockTestData.Info, output);

        ChatCompletion completion = await ClientAnswering(output.WrittenSpan.ToArray(), "application/json")
            .CompleteChatAsync([new UserChatMessage("What is the capital of France?")]);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("Checking.", completion.Content[0].Text);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("tooluse_abc", call.Id);
        Assert.Equal("get_capital", call.FunctionName);
        Assert.Equal("""{"country":"France"}""", call.FunctionArguments.ToString());
        Assert.Equal(120, completion.Usage.InputTokenCount);
        Assert.Equal(100, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(9, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_ReadsATranslatedToolUseStream()
    {
        byte[] wire = BedrockTestData.CassetteBinaryBodies("bedrock/cassette-converse-stream-tool-use.yaml")[0];
        string sse = BedrockTestData.RunWhole(wire, BedrockTestData.Info with { IncludeUsage = true });

        var text = new StringBuilder();
        var arguments = new StringBuilder();
        string? toolId = null, toolName = null;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in ClientAnswering(Encoding.UTF8.GetBytes(sse), "text/event-stream")
            .CompleteChatStreamingAsync([new UserChatMessage("What is the temperature of the capital of France?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            foreach (var call in update.ToolCallUpdates)
            {
                toolId ??= call.ToolCallId;
                toolName ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.StartsWith("<thinking> To find the temperature of the capital of France", text.ToString(), StringComparison.Ordinal);
        Assert.Equal("tooluse_lAG_zP8QRHmSYOwZzzaCqA", toolId);
        Assert.Equal("get_temperature", toolName);
        Assert.Equal("""{"city":"Paris"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.NotNull(usage);
        Assert.Equal(471, usage.InputTokenCount);
        Assert.Equal(91, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_ReadsATranslatedTextStream()
    {
        byte[] wire = BedrockTestData.CassetteBinaryBodies("bedrock/cassette-converse-stream-text.yaml")[0];
        string sse = BedrockTestData.RunStream(wire, static () => 7);

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in ClientAnswering(Encoding.UTF8.GetBytes(sse), "text/event-stream")
            .CompleteChatStreamingAsync([new UserChatMessage("What is the capital of France?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.StartsWith("The capital of France is Paris.", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    /// <summary>Answers every request with one fixed 200 body.</summary>
    private sealed class FixedAnswer(byte[] body, string contentType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
