using Gateway.Fast.Metrics;
using Prometheus;

namespace Gateway.Fast.Tests.Metrics;

public sealed class GatewayMetricsTests
{
    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task ModelLabels_AreBounded_LaterModelsCountAsOther()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new GatewayMetrics(registry);
        for (int i = 0; i < GatewayMetrics.MaxModels + 5; i++)
        {
            metrics.RecordUsage("gw", "openai", $"model-{i}", 1, 2, null, null);
        }

        var text = await ScrapeAsync(registry);

        Assert.Contains("model=\"model-0\"", text);
        Assert.Contains($"model=\"model-{GatewayMetrics.MaxModels - 1}\"", text);
        Assert.DoesNotContain($"model=\"model-{GatewayMetrics.MaxModels}\"", text);
        Assert.Contains("gateway_tokens_total{gateway=\"gw\",provider=\"openai\",model=\"other\",direction=\"out\"} 10", text);
    }

    [Fact]
    public async Task OverlongModelNames_AreNeverLabels()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new GatewayMetrics(registry);
        metrics.RecordUsage("gw", "openai", new string('x', 500), 1, 1, null, null);

        var text = await ScrapeAsync(registry);

        Assert.DoesNotContain(new string('x', 129), text);
        Assert.Contains("model=\"other\"", text);
    }

    [Fact]
    public async Task Usage_AddsUpOnOneSeries_AndOnlyFiguresRecordedMakeSeries()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new GatewayMetrics(registry);
        metrics.RecordUsage("gw", "openai", "gpt-4o-mini", 3, null, null, null);
        metrics.RecordUsage("gw", "openai", "gpt-4o-mini", 4, 5, 0.25, 0.5);
        metrics.RecordUsage("gw", "openai", "gpt-4o-mini", 1, 1, 0.5, null);

        var text = await ScrapeAsync(registry);

        Assert.Contains("gateway_tokens_total{gateway=\"gw\",provider=\"openai\",model=\"gpt-4o-mini\",direction=\"in\"} 8", text);
        Assert.Contains("gateway_tokens_total{gateway=\"gw\",provider=\"openai\",model=\"gpt-4o-mini\",direction=\"out\"} 6", text);
        Assert.Contains("gateway_cost_usd_total{gateway=\"gw\",provider=\"openai\",model=\"gpt-4o-mini\"} 0.75", text);
        Assert.Contains("gateway_time_to_first_byte_seconds_count{gateway=\"gw\",provider=\"openai\"} 1", text);

        // Another model with tokens only: no cost series and no first-byte series for it.
        metrics.RecordUsage("gw2", "anthropic", "claude", 2, 2, null, null);
        text = await ScrapeAsync(registry);
        Assert.Contains("gateway_tokens_total{gateway=\"gw2\",provider=\"anthropic\",model=\"claude\",direction=\"in\"} 2", text);
        Assert.DoesNotContain("gateway_cost_usd_total{gateway=\"gw2\"", text);
        Assert.DoesNotContain("gateway_time_to_first_byte_seconds_count{gateway=\"gw2\"", text);
    }
}
