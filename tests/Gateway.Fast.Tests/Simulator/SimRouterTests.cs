using System.Buffers;
using System.Text;
using Gateway.Fast.Simulator;
using Xunit;

namespace Gateway.Fast.Tests.Simulator;

public sealed class SimRouterTests
{
    [Theory]
    [InlineData("/v1/chat/completions", "", "OpenAIChat", null)]
    [InlineData("/openai/v1/embeddings", "", "OpenAIEmbeddings", null)]
    [InlineData("/models", "", "OpenAIModels", null)]
    [InlineData("/v1/responses", "", "OpenAIResponses", null)]
    [InlineData("/v1/messages", "", "AnthropicMessages", null)]
    [InlineData("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "?alt=sse", "GeminiStream", "gemini-2.5-flash")]
    [InlineData("/v1/models/gemini-2.5-pro:countTokens", "", "GeminiCountTokens", "gemini-2.5-pro")]
    [InlineData("/model/us.amazon.nova-micro-v1:0/converse-stream", "", "BedrockConverseStream", "us.amazon.nova-micro-v1:0")]
    [InlineData("/model/amazon.nova-pro-v1:0/invoke", "", "BedrockInvoke", "amazon.nova-pro-v1:0")]
    [InlineData("/client/v4/accounts/abc/ai/run/@cf/meta/llama-3.1-8b-instruct", "", "WorkersAiRun", "@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("/client/v4/accounts/abc/ai/v1/chat/completions", "", "OpenAIChat", null)]
    [InlineData("/v2/chat", "", "CohereV2Chat", null)]
    [InlineData("/echo", "", "Echo", null)]
    [InlineData("/echo/any/path", "", "Echo", null)]
    [InlineData("/echoes", "", "NotFound", null)]
    [InlineData("/model/x/unknown-verb", "", "NotFound", null)]
    public void Parse_MapsProviderPathsToEndpoints(string path, string query, string endpoint, string? model)
    {
        SimRoute route = SimRouter.Parse(path, query);

        Assert.Equal(endpoint, route.Endpoint.ToString());
        Assert.Equal(model, route.PathModel);
    }

    [Theory]
    [InlineData("?alt=sse", true)]
    [InlineData("?key=k&alt=sse", true)]
    [InlineData("?alt=json", false)]
    [InlineData("", false)]
    public void Parse_DetectsGeminiAltSse(string query, bool sse)
    {
        Assert.Equal(sse, SimRouter.Parse("/v1beta/models/m:streamGenerateContent", query).AltSse);
    }

    [Fact]
    public void Peek_ReadsModelStreamAndIncludeUsageAcrossSegments()
    {
        const string Json = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"model\":\"gpt-4o\",\"stream\":true," +
            "\"stream_options\":{\"include_usage\":true},\"input\":[\"a\",\"b\",\"c\"]}";
        byte[] bytes = Encoding.UTF8.GetBytes(Json);

        // Every split point, as Kestrel may hand the body over in several segments.
        for (int split = 1; split < bytes.Length; split++)
        {
            RequestPeek peek = RequestPeek.Parse(TwoSegments(bytes, split));

            Assert.Equal("gpt-4o", peek.Model);
            Assert.True(peek.Stream);
            Assert.True(peek.IncludeUsage);
            Assert.Equal(3, peek.InputCount);
            Assert.Equal(bytes.Length / 4, peek.PromptTokens);
        }
    }

    [Fact]
    public void Peek_ToleratesInvalidJson()
    {
        RequestPeek peek = RequestPeek.Parse(new ReadOnlySequence<byte>("not json at all"u8.ToArray()));

        Assert.Null(peek.Model);
        Assert.False(peek.Stream);
        Assert.Equal(3, peek.PromptTokens);
    }

    [Fact]
    public void Crc32_MatchesZlibCheckValue()
    {
        // CRC-32/ISO-HDLC check value for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int split)
    {
        var first = new Segment(bytes.AsMemory(0, split), 0);
        var second = new Segment(bytes.AsMemory(split), split);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
