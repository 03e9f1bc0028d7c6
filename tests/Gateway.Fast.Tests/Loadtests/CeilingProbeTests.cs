using System.Text.Json;
using Capacity;
using Capacity.Load;
using Capacity.Report;

namespace Gateway.Fast.Tests.Loadtests;

/// <summary>
/// The streams scenario's ceilings: a proxy's held stream costs it two descriptors over an HTTP/1.1 upstream and one
/// where its upstream streams share HTTP/2 connections (the script's <c>UPSTREAM_H2C=1</c>), as its targets file says.
/// </summary>
public sealed class CeilingProbeTests
{
    [Fact]
    public void TargetsFile_CarriesTheGatewaysDescriptorsPerStream()
    {
        const string json = """
            [{"name":"gateway","description":"d","url":"http://127.0.0.1:1/","pid":1,"process":"gateway","body":"b","descriptors_per_stream":1},
             {"name":"direct","description":"d","url":"http://127.0.0.1:1/","pid":1,"process":"simulator","body":"b"}]
            """;

        var targets = JsonSerializer.Deserialize<List<Target>>(json, RunJson.Options)!;

        Assert.Equal(1, targets[0].DescriptorsPerStream);
        Assert.Null(targets[1].DescriptorsPerStream);
    }

    [Theory]
    [InlineData("gateway", 2, "the client's socket and the upstream's per stream")]
    [InlineData("gateway", 1, "the client's socket per stream; upstream streams share HTTP/2 connections (100 each)")]
    [InlineData("simulator", 1, "one socket per stream")]
    public void Note_SaysWhatAHeldStreamsDescriptorsAre(string process, int perStream, string expected)
    {
        Assert.Equal(expected, CeilingProbe.Sockets(process, perStream));
    }
}
