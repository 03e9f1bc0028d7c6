using Gateway.Fast.Compat.Cohere;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Cohere;

/// <summary>OpenAI chat requests in, the exact Cohere v2 <c>/v2/chat</c> body out (compared as parsed JSON).</summary>
public sealed class CohereRequestTranslationTests
{
    private readonly CohereTranslator _translator = new();

    [Fact]
    public void FullConversation_BecomesCohereV2Chat()
    {
        const string openAi = """
        {
          "model": "command-r-plus",
          "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": [
              {"type": "text", "text": "What is this?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}}
            ]},
            {"role": "assistant", "content": "I will look up the weather.", "tool_calls": [
              {"id": "weather_1", "type": "function", "function": {"name": "weather", "arguments": "{\"location\":\"Paris\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "weather_1", "content": "18C"},
            {"role": "assistant", "content": [{"type": "text", "text": "It is 18C."}]},
            {"role": "developer", "content": "Answer in English."},
            {"role": "user", "content": "Thanks"}
          ],
          "tools": [
            {"type": "function", "function": {"name": "weather", "description": "Weather by city", "strict": true,
              "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"], "additionalProperties": false}}},
            {"type": "function", "function": {"name": "time", "parameters": {"type": "object", "properties": {}}}}
          ],
          "tool_choice": {"type": "function", "function": {"name": "weather"}},
          "response_format": {"type": "json_schema", "json_schema": {"name": "a", "schema": {"type": "object", "properties": {"t": {"type": "string"}}}}},
          "stop": "END",
          "temperature": 0.3, "top_p": 0.8, "top_k": 20, "seed": 42, "frequency_penalty": 0.1,
          "max_tokens": 300, "user": "u1", "parallel_tool_calls": true, "reasoning_effort": "low"
        }
        """;
        const string cohere = """
        {
          "model": "command-r-plus",
          "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": [
              {"type": "text", "text": "What is this?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}}
            ]},
            {"role": "assistant", "tool_plan": "I will look up the weather.", "tool_calls": [
              {"id": "weather_1", "type": "function", "function": {"name": "weather", "arguments": "{\"location\":\"Paris\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "weather_1", "content": "18C"},
            {"role": "assistant", "content": "It is 18C."},
            {"role": "system", "content": "Answer in English."},
            {"role": "user", "content": "Thanks"}
          ],
          "tools": [
            {"type": "function", "function": {"name": "weather", "description": "Weather by city",
              "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"], "additionalProperties": false}}}
          ],
          "tool_choice": "REQUIRED",
          "temperature": 0.3, "p": 0.8, "k": 20, "seed": 42, "frequency_penalty": 0.1, "max_tokens": 300,
          "stop_sequences": ["END"],
          "response_format": {"type": "json_object", "json_schema": {"type": "object", "properties": {"t": {"type": "string"}}}}
        }
        """;

        string body = Request(_translator, openAi, "command-r-plus", out string path);

        AssertJson(cohere, body);
        Assert.Equal("v2/chat", path);
    }

    [Fact]
    public void Streaming_SetsStreamAndKeepsThePath()
    {
        string body = Request(_translator, """
            {"messages":[{"role":"user","content":"hi"}],"max_completion_tokens":5,"response_format":{"type":"json_object"},"tool_choice":"none",
             "tools":[{"type":"function","function":{"name":"f"}}]}
            """, "command-a-03-2025", out string path, stream: true);

        AssertJson("""
            {"model":"command-a-03-2025","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"NONE",
             "max_tokens":5,"response_format":{"type":"json_object"},"stream":true}
            """, body);
        Assert.Equal("v2/chat", path);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":3}""", "'n' other than 1")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"top_logprobs":2}""", "'logprobs'")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]}""", "'input_audio'")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"function","function":{"name":"g"}},"tools":[{"type":"function","function":{"name":"f"}}]}""", "not among the tools")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}]}""", "needs 'tool_call_id'")]
    public void UntranslatableRequests_GetAClearMessage(string openAi, string expected)
    {
        string? error = TryRequest(_translator, openAi, "command-r", out _, out _);

        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }
}
