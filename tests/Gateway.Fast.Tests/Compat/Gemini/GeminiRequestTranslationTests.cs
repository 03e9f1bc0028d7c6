using Gateway.Fast.Compat.Gemini;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Gemini;

/// <summary>OpenAI chat requests in, the exact <c>GenerateContentRequest</c> out (compared as parsed JSON).</summary>
public sealed class GeminiRequestTranslationTests
{
    private readonly GeminiTranslator _translator = new();

    [Fact]
    public void FullConversation_BecomesSystemInstructionContentsToolsAndConfig()
    {
        const string openAi = """
        {
          "model": "gemini-2.5-flash",
          "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": [
              {"type": "text", "text": "What is in this picture?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
              {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg?size=2"}}
            ]},
            {"role": "assistant", "content": null, "tool_calls": [
              {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}},
              {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": ""}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "18C and sunny"},
            {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "09:00"}]},
            {"role": "assistant", "content": "It is 18C."},
            {"role": "developer", "content": [{"type": "text", "text": "Answer in English."}]},
            {"role": "user", "content": "Thanks"}
          ],
          "tools": [
            {"type": "function", "function": {"name": "get_weather", "description": "Weather by city", "strict": true, "parameters": {
              "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
              "properties": {
                "city": {"type": "string", "format": "email", "description": "City"},
                "unit": {"type": ["string", "null"], "enum": ["c", "f"]},
                "days": {"type": "array", "items": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10}},
                "mode": {"const": "fast"}
              },
              "required": ["city"]}}},
            {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}}}
          ],
          "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
          "response_format": {"type": "json_object"},
          "stop": ["END"],
          "temperature": 0.2, "top_p": 0.9, "top_k": 40, "seed": 7, "presence_penalty": 0.5,
          "max_completion_tokens": 256, "max_tokens": 100,
          "user": "u1", "parallel_tool_calls": false, "stream_options": {"include_usage": true}
        }
        """;
        const string gemini = """
        {
          "systemInstruction": {"parts": [{"text": "You are terse."}, {"text": "Answer in English."}]},
          "contents": [
            {"role": "user", "parts": [
              {"text": "What is in this picture?"},
              {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
              {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/cat.jpg?size=2"}}
            ]},
            {"role": "model", "parts": [
              {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
              {"functionCall": {"name": "get_time", "args": {}}}
            ]},
            {"role": "user", "parts": [
              {"functionResponse": {"name": "get_weather", "response": {"content": "18C and sunny"}}},
              {"functionResponse": {"name": "get_time", "response": {"content": "09:00"}}}
            ]},
            {"role": "model", "parts": [{"text": "It is 18C."}]},
            {"role": "user", "parts": [{"text": "Thanks"}]}
          ],
          "tools": [{"functionDeclarations": [
            {"name": "get_weather", "description": "Weather by city", "parameters": {
              "type": "object",
              "properties": {
                "city": {"type": "string", "description": "City"},
                "unit": {"type": "string", "nullable": true, "enum": ["c", "f"]},
                "days": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                "mode": {"enum": ["fast"]}
              },
              "required": ["city"]}},
            {"name": "get_time"}
          ]}],
          "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}},
          "generationConfig": {
            "temperature": 0.2, "topP": 0.9, "topK": 40, "seed": 7, "presencePenalty": 0.5, "maxOutputTokens": 256,
            "stopSequences": ["END"], "responseMimeType": "application/json"
          }
        }
        """;

        string body = Request(_translator, openAi, "gemini-2.5-flash", out string path);

        AssertJson(gemini, body);
        Assert.Equal("v1beta/models/gemini-2.5-flash:generateContent", path);
    }

    [Fact]
    public void Streaming_AsksForServerSentEvents()
    {
        Request(_translator, """{"messages":[{"role":"user","content":"hi"}]}""", "models/gemini-2.5-flash", out string path, stream: true);

        Assert.Equal("v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", path);
    }

    [Fact]
    public void JsonSchemaFormat_BecomesResponseSchemaInGeminisSubset()
    {
        const string openAi = """
        {"messages":[{"role":"user","content":"hi"}],
         "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{
           "type":"object","additionalProperties":false,"properties":{"n":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}},
           "required":["n","tags"]}}},
         "stop":"STOP", "reasoning_effort":"low"}
        """;

        string body = Request(_translator, openAi, "gemini-2.5-flash", out _);

        AssertJson("""
        {"contents":[{"role":"user","parts":[{"text":"hi"}]}],
         "generationConfig":{"stopSequences":["STOP"],"responseMimeType":"application/json",
           "responseSchema":{"type":"object","properties":{"n":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}},"required":["n","tags"]},
           "thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}
        """, body);
    }

    [Fact]
    public void ToolChoiceStrings_MapToGeminiModes()
    {
        foreach (var (choice, mode) in new[] { ("auto", "AUTO"), ("none", "NONE"), ("required", "ANY") })
        {
            string body = Request(_translator, """
                {"messages":[{"role":"user","content":"hi"}],"tool_choice":"CHOICE",
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"string"}}}}}]}
                """.Replace("CHOICE", choice), "gemini-2.5-flash", out _);

            AssertJson("""
                {"contents":[{"role":"user","parts":[{"text":"hi"}]}],
                 "tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"string"}}}}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"MODE"}}}
                """.Replace("MODE", mode), body);
        }
    }

    [Fact]
    public void ThoughtSignatureInToolCallId_GoesBackOnTheFunctionCall()
    {
        string id = GeminiToolCallIds.Create("chatcmpl-abc", 0, "EskgCsYg+/=");
        string body = Request(_translator, $$$"""
            {"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","tool_calls":[{"id":"{{{id}}}","type":"function","function":{"name":"weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"{{{id}}}","content":"sunny"}]}
            """, "gemini-3-pro-preview", out _);

        AssertJson("""
            {"contents":[
              {"role":"user","parts":[{"text":"weather?"}]},
              {"role":"model","parts":[{"functionCall":{"name":"weather","args":{}},"thoughtSignature":"EskgCsYg+/="}]},
              {"role":"user","parts":[{"functionResponse":{"name":"weather","response":{"content":"sunny"}}}]}]}
            """, body);
        Assert.Equal("call_abc_0__thought__EskgCsYg+/=", id);
    }

    [Fact]
    public void ForeignToolCallIds_OnGemini3_CarryTheDocumentedSkipSignature()
    {
        string body = Request(_translator, """
            {"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","tool_calls":[
                {"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\"c\":1}"}},
                {"id":"toolu_2","type":"function","function":{"name":"weather","arguments":"{\"c\":2}"}}]}]}
            """, "gemini-3-flash-preview", out _);

        AssertJson("""
            {"contents":[
              {"role":"user","parts":[{"text":"weather?"}]},
              {"role":"model","parts":[
                {"functionCall":{"name":"weather","args":{"c":1}},"thoughtSignature":"skip_thought_signature_validator"},
                {"functionCall":{"name":"weather","args":{"c":2}}}]}]}
            """, body);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":2}""", "'n' other than 1")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"logprobs":true}""", "'logprobs'")]
    [InlineData("""{"messages":[{"role":"tool","tool_call_id":"nope","content":"x"}]}""", "no earlier assistant message made that call")]
    [InlineData("""{"messages":[{"role":"function","name":"f","content":"x"}]}""", "role 'function'")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}""", "data: (base64) or http(s)")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}""", "must be a JSON object")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"$ref":"#/$defs/A"}}}}}]}""", "uses '$ref'")]
    [InlineData("""{"messages":[]}""", "non-empty array")]
    [InlineData("""{"messages":[{"role":"system","content":"x"}]}""", "besides the system prompt")]
    public void UntranslatableRequests_GetAClearMessage(string openAi, string expected)
    {
        string? error = TryRequest(_translator, openAi, "gemini-2.5-flash", out _, out _);

        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void ModelIdsThatWouldBreakThePath_AreRefused()
    {
        string? error = TryRequest(_translator, """{"messages":[{"role":"user","content":"hi"}]}""", "gemini:evil?x=1", out _, out _);

        Assert.Contains("is not a Gemini model id", error);
    }
}
