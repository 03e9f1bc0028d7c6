using Microsoft.Extensions.Configuration;
using Gateway.Fast.Accounting;

namespace Gateway.Fast.Tests.Accounting;

public sealed class PricingTests
{
    [Theory]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", 0.15, 0.60)]
    [InlineData("openai", "gpt-4o-2024-08-06", 2.50, 10.00)]
    [InlineData("openai", "gpt-4.1-nano-2025-04-14", 0.10, 0.40)]
    [InlineData("azure-openai", "gpt-4o", 2.50, 10.00)]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", 3.00, 15.00)]
    [InlineData("anthropic", "claude-sonnet-4-20250514", 3.00, 15.00)]
    [InlineData("anthropic", "claude-3-opus-20240229", 15.00, 75.00)]
    [InlineData("google-ai-studio", "gemini-2.5-flash", 0.30, 2.50)]
    [InlineData("google-ai-studio", "models/gemini-2.5-flash-lite", 0.10, 0.40)]
    [InlineData("google-vertex-ai", "gemini-2.0-flash-001", 0.10, 0.40)]
    [InlineData("aws-bedrock", "us.amazon.nova-micro-v1:0", 0.035, 0.14)]
    [InlineData("aws-bedrock", "amazon.nova-pro-v1%3A0", 0.80, 3.20)]
    [InlineData("aws-bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", 3.00, 15.00)]
    [InlineData("groq", "llama-3.3-70b-versatile", 0.59, 0.79)]
    [InlineData("mistral", "mistral-small-latest", 0.10, 0.30)]
    [InlineData("deepseek", "deepseek-reasoner", 0.28, 0.42)]
    [InlineData("grok", "grok-3-mini", 0.30, 0.50)]
    [InlineData("grok", "grok-4-fast-reasoning", 0.20, 0.50)]
    [InlineData("workers-ai", "@cf/meta/llama-3.1-8b-instruct", 0.282, 0.827)]
    [InlineData("cohere", "command-r-plus-08-2024", 2.50, 10.00)]
    [InlineData("cohere", "command-r7b-12-2024", 0.0375, 0.15)]
    public void Lookup_MatchesTheLongestKeyBeforeADateOrVersion(string provider, string model, double input, double output)
    {
        Assert.True(PriceTable.Default.TryGet(provider, model, out var price), $"{provider}/{model} has no price");
        Assert.Equal(input, price.Input);
        Assert.Equal(output, price.Output);
    }

    [Theory]
    [InlineData("openai", "gpt-4omni")] // a key must end at a separator
    [InlineData("openai", "gpt-4")]
    [InlineData("openai", null)]
    [InlineData("elevenlabs", "eleven_turbo_v2")]
    [InlineData("anthropic", "gpt-4o")]
    public void Lookup_MissesUnknownModels(string provider, string? model) =>
        Assert.False(PriceTable.Default.TryGet(provider, model, out _));

    [Fact]
    public void Cost_ChargesCachedInputAtTheCachedPrice()
    {
        // gpt-4o: 2.50 in, 1.25 cached, 10.00 out per million.
        var usage = new Usage(1_000_000, 100_000, 400_000, found: true);
        double? usd = CostCalculator.Default.Compute("openai", "gpt-4o-2024-08-06", usage);
        Assert.Equal(600_000 * 2.50 / 1e6 + 400_000 * 1.25 / 1e6 + 100_000 * 10.00 / 1e6, usd!.Value, 12);
    }

    [Fact]
    public void Cost_UsesTheResponseModelWhenNoneIsGiven_AndInputPriceWhenNoCachedPrice()
    {
        var usage = new Usage(1000, 2000, 500, found: true, model: "llama-3.3-70b-versatile");
        Assert.Equal((1000 * 0.59 + 2000 * 0.79) / 1e6, CostCalculator.Default.Compute("groq", null, usage)!.Value, 12);
        Assert.Null(CostCalculator.Default.Compute("groq", "no-such-model", usage));
    }

    [Fact]
    public void Cost_OfAnthropicFixtureUsage()
    {
        var usage = UsageFeed.Read(UsageWireFormat.Anthropic, AccountingFixtures.Raw("anthropic/anthropic-text.json"), Split.Whole);
        Assert.Equal((12 * 3.00 + 29 * 15.00) / 1e6, CostCalculator.Default.Compute("anthropic", null, usage)!.Value, 12);
    }

    [Fact]
    public void PricesFile_ReplacesAndAddsRows()
    {
        var table = PriceTable.FromJson("""
            { "providers": { "openai": { "gpt-4o": { "input": 1, "output": 2 }, "my-finetune": { "input": 3, "output": 4, "cached_input": 1 } },
                             "replicate": { "meta/llama": { "input": 5, "output": 6 } } } }
            """u8);
        Assert.True(table.TryGet("openai", "gpt-4o-2024-08-06", out var gpt4o));
        Assert.Equal(new ModelPrice(1, 2, null), gpt4o);
        Assert.True(table.TryGet("openai", "gpt-4o-mini", out var mini));
        Assert.Equal(0.15, mini.Input); // untouched default
        Assert.True(table.TryGet("openai", "my-finetune", out _));
        Assert.True(table.TryGet("replicate", "meta/llama", out _));
    }

    [Fact]
    public void PricesFile_IsReadFromConfiguration()
    {
        string path = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "providers": { "openai": { "gpt-4o": { "input": 7, "output": 8 } } } }""");
        try
        {
            var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:PricesFile"] = path }).Build();
            Assert.True(PriceTable.FromConfiguration(config).TryGet("openai", "gpt-4o", out var price));
            Assert.Equal(7, price.Input);
            var empty = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
            Assert.Same(PriceTable.Default, PriceTable.FromConfiguration(empty));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"per_token_in":0.000001,"per_token_out":0.000002}""", 0.000001, 0.000002, null)]
    [InlineData("""{"total_cost":0.25}""", 0, 0, 0.25)]
    [InlineData("""{"total_cost":0}""", 0, 0, 0.0)]
    [InlineData("""{ "per_token_out": 3e-6 }""", 0, 0.000003, null)]
    [InlineData("""{"per_token_in":1e-6,"per_token_out":2e-6,"note":"x"}""", 0.000001, 0.000002, null)]
    public void CustomCost_ParsesBothForms(string header, double perIn, double perOut, double? total)
    {
        Assert.True(CustomCost.TryParse(header, out var cost));
        Assert.Equal(new CustomCost(perIn, perOut, total), cost);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("0.5")]
    [InlineData("{\"total_cost\":\"1\"}")]
    [InlineData("{\"total_cost\":-1}")]
    [InlineData("{\"per_token_in\":-0.1}")]
    [InlineData("{\"per_token_in\":0.1")]
    [InlineData("{\"per_token_in\":0.1} x")]
    [InlineData("not json")]
    [InlineData("{\"note\":1}")]
    public void CustomCost_RejectsInvalidHeaders(string? header) => Assert.False(CustomCost.TryParse(header, out _));

    [Fact]
    public void CustomCost_OverridesThePriceTable()
    {
        var usage = new Usage(1000, 500, null, found: true);
        Assert.True(CustomCost.TryParse("""{"per_token_in":0.000001,"per_token_out":0.000002}""", out var perToken));
        Assert.Equal(1000 * 0.000001 + 500 * 0.000002, CostCalculator.Default.Compute("openai", "gpt-4o", usage, perToken)!.Value, 15);
        Assert.True(CustomCost.TryParse("""{"total_cost":0.5}""", out var total));
        Assert.Equal(0.5, CostCalculator.Default.Compute("openai", "unknown", usage, total));
        Assert.Equal(CostCalculator.Default.Compute("openai", "gpt-4o", usage), CostCalculator.Default.Compute("openai", "gpt-4o", usage, null));
    }
}
