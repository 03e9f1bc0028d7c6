using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Gateway.Fast.Client;

/// <summary>Reads a streamed gateway answer as server-sent events, with the runtime's own parser (System.Net.ServerSentEvents).</summary>
public static class ServerSentEvents
{
    /// <summary>
    /// Yields each event of <paramref name="response"/>'s body as it arrives and disposes the response at the end, or when
    /// the caller stops early (which closes the connection and so stops the upstream).
    /// </summary>
    public static async IAsyncEnumerable<SseItem<string>> ReadAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        using (response)
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return item;
                }
            }
        }
    }
}
