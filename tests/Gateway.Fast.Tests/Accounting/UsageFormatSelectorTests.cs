using Gateway.Fast.Accounting;

namespace Gateway.Fast.Tests.Accounting;

public sealed class UsageFormatSelectorTests
{
    [Theory]
    [InlineData("openai", "text/event-stream; charset=utf-8", "/v1/chat/completions", UsageWireFormat.OpenAI)]
    [InlineData("openai", "application/json", "/v1/responses", UsageWireFormat.OpenAI)]
    [InlineData("openai", "audio/mpeg", "/v1/audio/speech", UsageWireFormat.None)]
    [InlineData("groq", "application/json", "/chat/completions", UsageWireFormat.OpenAI)]
    [InlineData("grok", null, "/v1/chat/completions", UsageWireFormat.OpenAI)]
    [InlineData("anthropic", "text/event-stream", "/v1/messages", UsageWireFormat.Anthropic)]
    [InlineData("google-ai-studio", "text/event-stream", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", UsageWireFormat.Gemini)]
    [InlineData("google-ai-studio", "application/json", "/v1beta/openai/chat/completions", UsageWireFormat.OpenAI)]
    [InlineData("google-vertex-ai", "application/json", "/v1/projects/p/locations/l/publishers/anthropic/models/claude:rawPredict", UsageWireFormat.Anthropic)]
    [InlineData("aws-bedrock", "application/vnd.amazon.eventstream", "/model/us.amazon.nova-micro-v1%3A0/converse-stream", UsageWireFormat.BedrockEventStream)]
    [InlineData("aws-bedrock", "application/json", "/model/us.amazon.nova-micro-v1%3A0/converse", UsageWireFormat.BedrockConverse)]
    [InlineData("aws-bedrock", "application/json", "/model/anthropic.claude-3-haiku-20240307-v1:0/invoke", UsageWireFormat.Anthropic)]
    [InlineData("aws-bedrock", "application/json", "/model/amazon.titan-text/invoke", UsageWireFormat.None)]
    [InlineData("aws-bedrock", "application/json", "/model/amazon.nova-pro-v1:0/invoke", UsageWireFormat.BedrockConverse)]
    [InlineData("workers-ai", "text/event-stream", "/run/@cf/meta/llama-3.1-8b-instruct", UsageWireFormat.WorkersAi)]
    [InlineData("workers-ai", "application/json", "/v1/chat/completions", UsageWireFormat.OpenAI)]
    [InlineData("cohere", "text/event-stream", "/v2/chat", UsageWireFormat.Cohere)]
    [InlineData("cohere", "application/json", "/compatibility/v1/chat/completions", UsageWireFormat.OpenAI)]
    [InlineData("elevenlabs", "application/json", "/v1/text-to-speech/x", UsageWireFormat.None)]
    public void Select_PicksTheShapeFromProviderContentTypeAndPath(string provider, string? contentType, string path, UsageWireFormat expected) =>
        Assert.Equal(expected, UsageFormatSelector.Select(provider, contentType, path));
}
