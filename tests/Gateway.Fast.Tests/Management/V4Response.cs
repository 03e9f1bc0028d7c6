using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Management;

/// <summary>A management response, checked to be a well-formed v4 envelope on arrival.</summary>
public sealed class V4Response
{
    private V4Response(HttpStatusCode status, JsonElement root)
    {
        Status = status;
        Root = root;
    }

    public HttpStatusCode Status { get; }

    public JsonElement Root { get; }

    public JsonElement Result => Root.GetProperty("result");

    public JsonElement FirstError => Root.GetProperty("errors")[0];

    /// <summary>Sends one request with <paramref name="client"/> (a JSON body when given) and reads its checked envelope.</summary>
    public static async Task<V4Response> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return await ReadAsync(response);
    }

    public static async Task<V4Response> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var success = root.GetProperty("success").GetBoolean();
        Assert.Equal(response.IsSuccessStatusCode, success);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("errors").ValueKind);
        Assert.Equal(0, root.GetProperty("messages").GetArrayLength());
        Assert.True(root.TryGetProperty("result", out var result));
        if (success)
        {
            Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
        }
        else
        {
            Assert.True(root.GetProperty("errors").GetArrayLength() > 0);
            Assert.Equal(JsonValueKind.Null, result.ValueKind);
        }

        return new V4Response(response.StatusCode, root);
    }

    public void AssertError(HttpStatusCode status, int code, string? path = null)
    {
        Assert.Equal(status, Status);
        Assert.Contains(Root.GetProperty("errors").EnumerateArray(), e =>
            e.GetProperty("code").GetInt32() == code
            && (path is null
                ? !e.TryGetProperty("path", out _)
                : e.TryGetProperty("path", out var p) && p.GetArrayLength() == 1 && p[0].GetString() == path));
    }
}
