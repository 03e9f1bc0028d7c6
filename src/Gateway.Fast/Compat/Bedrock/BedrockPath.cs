using System.Buffers;
using System.Text;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>The Converse path under <c>https://bedrock-runtime.{region}.amazonaws.com</c>: <c>model/{id}/converse[-stream]</c>.</summary>
/// <remarks>
/// The model id is one path label, percent-encoded as the AWS SDKs encode it: everything outside the unreserved set, so
/// <c>:</c> becomes <c>%3A</c> and the <c>/</c> of an inference-profile ARN becomes <c>%2F</c>. AWS signs the path as
/// it was sent, encoded once more; <see cref="Providers.UpstreamUrl"/> keeps <c>%</c> escapes as they are, so the URL the
/// gateway sends and the path SigV4 canonicalises are the same bytes.
/// </remarks>
internal static class BedrockPath
{
    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    public static string Converse(string modelId, bool stream)
    {
        var path = new StringBuilder("model/".Length + (modelId.Length * 3) + "/converse-stream".Length);
        path.Append("model/");
        AppendLabel(path, modelId);
        path.Append(stream ? "/converse-stream" : "/converse");
        return path.ToString();
    }

    private static void AppendLabel(StringBuilder path, ReadOnlySpan<char> label)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < label.Length; i++)
        {
            char c = label[i];
            if (Unreserved.Contains(c))
            {
                path.Append(c);
                continue;
            }

            int length = char.IsHighSurrogate(c) && i + 1 < label.Length
                ? Encoding.UTF8.GetBytes(label.Slice(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(label.Slice(i, 1), utf8);
            for (int b = 0; b < length; b++)
            {
                path.Append('%').Append("0123456789ABCDEF"[utf8[b] >> 4]).Append("0123456789ABCDEF"[utf8[b] & 0xF]);
            }
        }
    }
}
