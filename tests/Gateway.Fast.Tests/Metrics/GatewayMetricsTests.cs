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
}
