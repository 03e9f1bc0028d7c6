using System.Text;
using Gateway.Fast.Accounting;

namespace Gateway.Fast.Tests.Accounting;

public sealed class EstimationTests
{
    private static readonly byte[] OpenAIRequest = Encoding.UTF8.GetBytes("""
        {"model":"gpt-4o","stream":true,"messages":[{"role":"system","content":"You are terse."},
         {"role":"user","content":[{"type":"text","text":"Say hello to the world."},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}
        """);

    [Theory]
    [MemberData(nameof(UsageFeed.AllSplits), MemberType = typeof(UsageFeed))]
    public void StreamWithoutUsage_IsEstimatedFromRequestAndResponseText(Split split)
    {
        // The recorded stream minus its usage chunk: what a client gets without stream_options.include_usage.
        string sse = Encoding.UTF8.GetString(AccountingFixtures.Raw("openai/chat-stream-text.sse"));
        int usageChunk = sse.LastIndexOf("data: {", StringComparison.Ordinal);
        byte[] body = Encoding.UTF8.GetBytes(sse[..usageChunk] + "data: [DONE]\n\n");

        using var reader = new UsageReader(UsageWireFormat.OpenAI);
        UsageFeed.Feed(reader, body, split);
        Assert.False(reader.Complete().Found);

        var usage = reader.CompleteOrEstimate(OpenAIRequest);
        Assert.True(usage.Estimated);
        Assert.False(usage.Found);
        Assert.Equal("gpt-4o-2024-08-06", usage.Model);
        Assert.Equal(TokenEstimator.Count("You are terse.") + TokenEstimator.Count("Say hello to the world."), usage.InputTokens);
        // The provider counted 30 completion tokens for this text; o200k over the concatenated deltas is the same tokenizer.
        Assert.InRange(usage.OutputTokens, 27, 30);
    }

    [Fact]
    public void ReportedUsage_IsNotEstimated()
    {
        using var reader = new UsageReader(UsageWireFormat.OpenAI);
        reader.Append(AccountingFixtures.Raw("openai/chat-stream-text.sse"));
        var usage = reader.CompleteOrEstimate(OpenAIRequest);
        Assert.True(usage.Found);
        Assert.False(usage.Estimated);
        Assert.Equal(14, usage.InputTokens);
    }

    [Fact]
    public void RequestText_CountsMessageStringsOfEveryProviderShape()
    {
        int hello = TokenEstimator.Count("Hello there");
        Assert.Equal(hello, TokenEstimator.CountRequestText("""{"messages":[{"role":"user","content":"Hello there"}]}"""u8));
        Assert.Equal(hello, TokenEstimator.CountRequestText("""{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}]}"""u8));
        Assert.Equal(hello, TokenEstimator.CountRequestText("""{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}"""u8));
        Assert.Equal(2 * hello, TokenEstimator.CountRequestText("""{"input":["Hello there","Hello there"]}"""u8));
        Assert.Equal(hello, TokenEstimator.CountRequestText("Hello there"u8)); // not JSON: all of it is text
        Assert.Equal(0, TokenEstimator.CountRequestText(default));
    }

    [Fact]
    public void RequestText_CountedAgain_GivesEachStringItsOwnCount()
    {
        // Request strings are counted once and then read from a table of recent counts: a string counted again, and
        // strings that differ in one character, each keep the count the tokenizer gives them, over more strings than
        // the table has slots (so slots are taken over) and with escapes in their JSON form.
        string[] words = ["alpha", "beta", "gamma", "delta", "tokenizer", "gateway", "\\u00e9t\\u00e9", "naïve", "42", "\\n"];
        var texts = new List<string>();
        for (int i = 0; i < 6_000; i++)
        {
            texts.Add($"{words[i % words.Length]} {i} {words[i / words.Length % words.Length]} {words[i * 7 % words.Length]}");
        }

        for (int round = 0; round < 2; round++)
        {
            foreach (string text in texts)
            {
                byte[] body = Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}");
                string unescaped = System.Text.Json.JsonSerializer.Deserialize<string>("\"" + text + "\"")!;
                Assert.Equal(TokenEstimator.Count(unescaped), TokenEstimator.CountRequestText(body));
            }
        }
    }

    [Fact]
    public void JsonStrings_CountAsTheirUnescapedConcatenation()
    {
        // Escapes, a surrogate pair written as escapes, multi-byte UTF-8 and a string longer than the stack buffer.
        string x = new('x', 300);
        byte[] captured = Encoding.UTF8.GetBytes($$"""
            "Hello, \"world\"\n" "caf\u00e9 \ud83d\ude00 " "naïve — 東京 " "{{x}} tail"
            """);
        string unescaped = "Hello, \"world\"\ncafé 😀 naïve — 東京 " + x + " tail";

        Assert.Equal(TokenEstimator.Count(unescaped), TokenEstimator.CountJsonStrings(captured));
        Assert.Equal(TokenEstimator.Count("Hello"), TokenEstimator.CountJsonStrings("\"Hello\" \"wor"u8)); // a cut final piece is left out
        Assert.Equal(0, TokenEstimator.CountJsonStrings(default));
    }

    [Fact]
    public void RequestText_CountsEachUnescapedStringOnItsOwn()
    {
        string longText = new string('y', 400) + " end";
        byte[] body = Encoding.UTF8.GetBytes($$"""{"messages":[{"role":"user","content":"caf\u00e9 \"quoted\""},{"role":"user","content":"{{longText}}"}]}""");
        Assert.Equal(TokenEstimator.Count("café \"quoted\"") + TokenEstimator.Count(longText), TokenEstimator.CountRequestText(body));
    }

    [Fact]
    public void NoneFormat_ReadsNothingAndEstimatesNothing()
    {
        using var reader = new UsageReader(UsageWireFormat.None);
        reader.Append(AccountingFixtures.Raw("openai/openai-text.json"));
        var usage = reader.CompleteOrEstimate(OpenAIRequest);
        Assert.False(usage.Found);
        Assert.False(usage.Estimated);
    }
}
