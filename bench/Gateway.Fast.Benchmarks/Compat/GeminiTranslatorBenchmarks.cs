using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Gemini;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary><see cref="GeminiTranslator"/>: the typical request into a <c>GenerateContentRequest</c>, and one streamed text chunk.</summary>
[MemoryDiagnoser]
public class GeminiTranslatorBenchmarks() : TranslatorBenchmarks(
    new GeminiTranslator(), TypicalRequest, "gemini-2.5-flash", stream: false,
    new CompatResponseInfo("chatcmpl-01JBENCH", "google-ai-studio/gemini-2.5-flash", 1_700_000_000, true), TextChunk, TextChunk)
{
    private static readonly byte[] TextChunk = Encoding.UTF8.GetBytes(
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" capital of France\"}],\"role\": \"model\"}}],\"usageMetadata\": " +
        "{\"promptTokenCount\": 15,\"totalTokenCount\": 15,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 15}]}," +
        "\"modelVersion\": \"gemini-2.0-flash-exp\",\"responseId\": \"w1peaMz6INOvnvgPgYfPiQY\"}\r\n\r\n");
}
