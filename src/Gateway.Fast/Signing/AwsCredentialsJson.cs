using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Gateway.Fast.Signing;

/// <summary>Reads stored AWS keys, <c>{"accessKeyId","secretAccessKey","sessionToken"?,"region"}</c> (docs/gateway-api.md#provider-endpoints, Bedrock BYOK).</summary>
internal static class AwsCredentialsJson
{
    public static bool TryRead(string json, [NotNullWhen(true)] out AwsCredentials? credentials)
    {
        credentials = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || String(root, "accessKeyId") is not { Length: > 0 } id
                || String(root, "secretAccessKey") is not { Length: > 0 } secret)
            {
                return false;
            }

            credentials = new AwsCredentials(id, secret, String(root, "sessionToken"), String(root, "region") is { Length: > 0 } region ? region : "us-east-1");
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
