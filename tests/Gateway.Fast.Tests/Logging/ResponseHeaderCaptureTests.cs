using System.Text;
using Gateway.Fast.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

public sealed class ResponseHeaderCaptureTests
{
    [Theory]
    [InlineData("Content-Type")]
    [InlineData("cf-aig-log-id")]
    [InlineData("cf-aig-cache-status")]
    [InlineData("x-request-id")]
    [InlineData("x-ratelimit-remaining-tokens")]
    [InlineData("anthropic-ratelimit-tokens-remaining")]
    [InlineData("openai-processing-ms")]
    public void ShouldKeep_KeepsTheGatewaysAndTheProvidersOrdinaryHeaders(string name) => Assert.True(ResponseHeaderCapture.ShouldKeep(name));

    [Theory]
    [InlineData("Authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("WWW-Authenticate")]
    [InlineData("cf-aig-authorization")]
    [InlineData("Set-Cookie")]
    [InlineData("Cookie")]
    [InlineData("api-key")]
    [InlineData("X-Api-Key")]
    [InlineData("x-goog-api-key")]
    [InlineData("Ocp-Apim-Subscription-Key")]
    [InlineData("x-amz-security-token")]
    [InlineData("x-client-secret")]
    [InlineData("")]
    public void ShouldKeep_RefusesEveryHeaderThatCanCarryACredential(string name) => Assert.False(ResponseHeaderCapture.ShouldKeep(name));

    [Fact]
    public void Capture_KeepsTheAllowedHeadersAndReadsThemBackLowerCasedWithValuesJoined()
    {
        var headers = new HeaderDictionary
        {
            ["Content-Type"] = "application/json",
            ["cf-aig-log-id"] = "01JLOGID",
            ["Set-Cookie"] = "session=secret",
            ["x-api-key"] = "sk-echoed",
            ["Vary"] = new StringValues(new[] { "Accept", "Origin" }),
            ["x-note"] = "ünïcode",
        };
        var capture = new ResponseHeaderCapture();
        capture.Capture(headers);

        var read = ResponseHeaderCapture.Read(capture.Encoded);
        Assert.NotNull(read);
        Assert.Equal(H(("content-type", "application/json"), ("cf-aig-log-id", "01JLOGID"), ("vary", "Accept, Origin"), ("x-note", "ünïcode")), read);
        Assert.DoesNotContain("secret", Encoding.UTF8.GetString(capture.Encoded));
        Assert.DoesNotContain("sk-echoed", Encoding.UTF8.GetString(capture.Encoded));

        // Reused with its context: the next request's headers replace the last one's.
        capture.Reset();
        capture.Capture(new HeaderDictionary { ["x-second"] = "2" });
        Assert.Equal(H(("x-second", "2")), ResponseHeaderCapture.Read(capture.Encoded));
        capture.Reset();
        Assert.True(capture.Encoded.IsEmpty);
    }

    [Fact]
    public void Capture_WritesMultiByteValuesIntoItsReusedBuffer()
    {
        // The second capture finds a buffer large enough for the pairs' UTF-8 upper bound and writes without counting
        // first; three-byte characters near the buffer's end must still come back whole.
        var capture = new ResponseHeaderCapture();
        var headers = new HeaderDictionary { ["x-euro"] = new string('€', 300), ["x-plain"] = "ok" };
        capture.Capture(headers);
        capture.Capture(headers);
        Assert.Equal(H(("x-euro", new string('€', 300)), ("x-plain", "ok")), ResponseHeaderCapture.Read(capture.Encoded));
        capture.Reset();
    }

    [Fact]
    public void Capture_StopsAtItsLimitAndKeepsTheHeadersBefore()
    {
        var headers = new HeaderDictionary { ["x-first"] = "1", ["x-huge"] = new string('a', ResponseHeaderCapture.MaxBytes), ["x-after"] = "3" };
        var capture = new ResponseHeaderCapture();
        capture.Capture(headers);
        Assert.Equal(H(("x-first", "1")), ResponseHeaderCapture.Read(capture.Encoded));
        capture.Reset();
    }

    [Fact]
    public void Read_RefusesTruncatedPairs()
    {
        var capture = new ResponseHeaderCapture();
        capture.Capture(new HeaderDictionary { ["x-one"] = "value" });
        Assert.Null(ResponseHeaderCapture.Read(capture.Encoded[..^2]));
        capture.Reset();
    }

    [Fact]
    public void Row_CarriesTheHeadersAfterItsBodies_AndARowWithoutThemReadsAsBefore()
    {
        var fields = LogRowFields.From(Row("g", 3));
        var capture = new ResponseHeaderCapture();
        capture.Capture(new HeaderDictionary { ["cf-aig-cache-status"] = "MISS" });

        var with = LogRecordCodec.EncodeRow(in fields, "req"u8, "resp"u8, capture.Encoded);
        var without = LogRecordCodec.EncodeRow(in fields, "req"u8, "resp"u8);
        try
        {
            Assert.True(LogRecordCodec.TryOpen(with.Entry, out _, out var version, out var body));
            Assert.True(LogRecordCodec.TryReadRow(body, version, out var record, out var request, out var response, out var stored, out _));
            Assert.Equal("req", Encoding.UTF8.GetString(request));
            Assert.Equal("resp", Encoding.UTF8.GetString(response));
            Assert.Equal(H(("cf-aig-cache-status", "MISS")), ResponseHeaderCapture.Read(stored));
            Assert.True(record.SequenceEqual(LogRecordCodec.RecordOfRow(with.Entry))); // the metadata store's copy holds no header

            Assert.True(LogRecordCodec.TryOpen(without.Entry, out _, out version, out body));
            Assert.True(LogRecordCodec.TryReadRow(body, version, out _, out _, out _, out stored, out _));
            Assert.True(stored.IsEmpty);
            Assert.Equal(without.Length + LogRecordCodec.SectionSize(capture.Encoded.Length), with.Length);
        }
        finally
        {
            with.Return();
            without.Return();
            capture.Reset();
        }
    }

    private static List<KeyValuePair<string, string>> H(params (string Name, string Value)[] pairs)
        => pairs.Select(p => KeyValuePair.Create(p.Name, p.Value)).ToList();
}
