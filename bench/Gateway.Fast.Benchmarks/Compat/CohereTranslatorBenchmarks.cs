using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Cohere;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary><see cref="CohereTranslator"/>: the typical request into a <c>v2/chat</c> body, and one <c>content-delta</c> event.</summary>
[MemoryDiagnoser]
public class CohereTranslatorBenchmarks() : TranslatorBenchmarks(
    new CohereTranslator(), TypicalRequest, "command-r-plus", stream: false,
    new CompatResponseInfo("chatcmpl-01JBENCH", "cohere/command-r-plus", 1_700_000_000, true), TextEvent, TextEvent)
{
    private static readonly byte[] TextEvent = Encoding.UTF8.GetBytes(
        "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\" capital\"}}}}\n\n");
}
