using Gateway.Fast.Hosting;
using Gateway.Fast.Tests.Hardening;

namespace Gateway.Fast.Tests.Hosting;

/// <summary>Running out of descriptors is said once per process, with what to raise.</summary>
public sealed class DescriptorExhaustionTests
{
    [Fact]
    public void Exhaustion_IsLoggedOnceWithTheLimitToRaise()
    {
        using var provider = new CapturingLoggerProvider();
        var logger = provider.CreateLogger("test");

        DescriptorExhaustion.Report(logger, "upstream connect");
        DescriptorExhaustion.Report(logger, "upstream connect");

        // No other test exhausts descriptors, so this process's one line is this test's.
        var line = Assert.Single(provider.Lines);
        Assert.Contains("Out of file descriptors at upstream connect", line);
        Assert.Contains("ulimit -n", line);
        Assert.Contains("LimitNOFILE", line);
    }
}
