using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Metrics;
using Prometheus;

namespace Gateway.Fast.Benchmarks.Metrics;

/// <summary>
/// <see cref="GatewayMetrics.Record"/> (children cached per gateway and provider) against looking the labelled children up
/// with <c>WithLabels</c> on every request; one op is one answered request (one counter, three histograms).
/// </summary>
[MemoryDiagnoser]
public class GatewayMetricsBenchmarks
{
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    private GatewayMetrics _metrics = null!;
    private Counter _requests = null!;
    private Histogram _duration = null!;
    private Histogram _overhead = null!;
    private Histogram _upstream = null!;

    // Fields, not constants, so the label strings are what a request would bring.
    private string _gateway = "my-gateway";
    private string _provider = "openai";
    private string _model = "gpt-4o-mini";

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry());
        _metrics.Record(_gateway, _provider, 200, 0.25, 0.24); // creates the cached children; every later call reuses them
        _metrics.RecordUsage(_gateway, _provider, _model, 12, 34, 0.001, 0.2);

        var factory = Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry());
        _requests = factory.CreateCounter("gateway_requests_total", "x", new CounterConfiguration { LabelNames = ["gateway", "provider", "status_class"] });
        _duration = factory.CreateHistogram("gateway_request_duration_seconds", "x",
            new HistogramConfiguration { LabelNames = ["gateway", "provider"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
        _overhead = factory.CreateHistogram("gateway_overhead_seconds", "x",
            new HistogramConfiguration { LabelNames = ["gateway", "provider"], Buckets = Histogram.ExponentialBuckets(0.000005, 2, 16) });
        _upstream = factory.CreateHistogram("gateway_upstream_duration_seconds", "x",
            new HistogramConfiguration { LabelNames = ["gateway", "provider"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop.Count)]
    public void WithLabelsPerRequest()
    {
        for (int i = 0; i < Loop.Count; i++)
        {
            double total = 0.25 + (i * 0.001), upstream = 0.24;
            _requests.WithLabels(_gateway, _provider, StatusClasses[1]).Inc();
            _duration.WithLabels(_gateway, _provider).Observe(total);
            _upstream.WithLabels(_gateway, _provider).Observe(upstream);
            _overhead.WithLabels(_gateway, _provider).Observe(total - upstream);
        }
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public void Record()
    {
        for (int i = 0; i < Loop.Count; i++)
        {
            _metrics.Record(_gateway, _provider, 200, 0.25 + (i * 0.001), 0.24);
        }
    }

    /// <summary>One logged answer's usage: tokens in and out, cost and time to first byte (children cached per model).</summary>
    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public void RecordUsage()
    {
        for (int i = 0; i < Loop.Count; i++)
        {
            _metrics.RecordUsage(_gateway, _provider, _model, 12, 34, 0.001, 0.2 + (i * 0.001));
        }
    }
}
