using System.Text;
using System.Text.Json;
using Gateway.Fast.Accounting;
using Gateway.Fast.Compat;

namespace Gateway.Fast.Tests.Accounting;

/// <summary>
/// The one usage reader per provider, as the translators call it: on the object their own JSON reader stands on, in
/// the middle of a larger document, leaving the reader where the caller's loop expects it.
/// </summary>
public sealed class UsageObjectParserTests
{
    [Fact]
    public void ReadsTheObjectTheReaderStandsOn_AndLeavesItOnItsEnd()
    {
        var json = """{"usage":{"input_tokens":10,"cache_creation":{"ephemeral_5m_input_tokens":7},"output_tokens":3},"after":1}"""u8;
        var reader = new Utf8JsonReader(json);
        reader.Read(); // {
        reader.Read(); // "usage"
        reader.Read(); // its {
        var acc = default(UsageAccumulator);

        UsageObjectParser.Read(UsageWireFormat.Anthropic, ref reader, ref acc);

        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        reader.Read();
        Assert.True(reader.ValueTextEquals("after"u8)); // the caller's loop goes on with the next property
        var usage = UsageObjectParser.ToUsage(UsageWireFormat.Anthropic, acc);
        Assert.Equal(10, usage.InputTokens); // the nested per-tier split is not counted twice
        Assert.Equal(3, usage.OutputTokens);
    }

    [Fact]
    public void Bedrock_TakesTheOlderCacheCountNames_AsConverseStillSendsThem()
    {
        var usage = Read(UsageWireFormat.BedrockConverse,
            """{"inputTokens":5,"outputTokens":2,"cacheReadInputTokenCount":100,"cacheWriteInputTokenCount":20}""");

        Assert.Equal(125, usage.ForLog.InputTokens);
        Assert.Equal(100, usage.ForCaller.CachedPromptTokens);
    }

    [Fact]
    public void Cohere_LogsBilledUnits_WhileTheCallerSeesTheTokensTheModelProcessed()
    {
        var usage = Read(UsageWireFormat.Cohere,
            """{"billed_units":{"input_tokens":12,"output_tokens":7.0},"tokens":{"input_tokens":507,"output_tokens":10},"cached_tokens":448.0}""");

        Assert.Equal((12, 7), (usage.ForLog.InputTokens, usage.ForLog.OutputTokens));
        Assert.Equal(new ChatUsage(507, 10, 448), usage.ForCaller);
    }

    [Fact]
    public void Cohere_WithOnlyBilledUnits_ShowsThemToTheCallerToo()
    {
        var usage = Read(UsageWireFormat.Cohere, """{"billed_units":{"input_tokens":3,"output_tokens":2}}""");

        Assert.Equal(new ChatUsage(3, 2), usage.ForCaller);
        Assert.True(usage.ForLog.Found);
    }

    [Fact]
    public void Gemini_CountsToolUsePromptAsInput_AndThoughtsAsOutput()
    {
        var usage = Read(UsageWireFormat.Gemini,
            """{"promptTokenCount":29,"candidatesTokenCount":8,"thoughtsTokenCount":900,"toolUsePromptTokenCount":4,"promptTokensDetails":[{"modality":"TEXT","tokenCount":29}]}""");

        Assert.Equal(new ChatUsage(33, 908), usage.ForCaller);
        Assert.Equal(33, usage.ForLog.InputTokens);
    }

    [Fact]
    public void AValueThatIsNotAnObject_IsSkipped()
    {
        var reader = new Utf8JsonReader("""[1,2]"""u8);
        reader.Read();
        var acc = default(UsageAccumulator);

        UsageObjectParser.Read(UsageWireFormat.OpenAI, ref reader, ref acc);

        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        Assert.False(acc.Any);
    }

    private static TranslatedUsage Read(UsageWireFormat format, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        var usage = new TranslatedUsage(format);
        usage.Read(ref reader);
        return usage;
    }
}
