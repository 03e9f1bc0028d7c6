using Xunit;

namespace Gateway.Fast.Tests.Simulator;

/// <summary>A small SSE splitter for assertions: events are separated by a blank line (<c>\n\n</c> or <c>\r\n\r\n</c>).</summary>
internal static class SseText
{
    public readonly record struct SseEvent(string? Name, string Data);

    public static List<SseEvent> Parse(string text)
    {
        var events = new List<SseEvent>();
        string normalized = text.Replace("\r\n", "\n");
        foreach (string block in normalized.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new List<string>();
            foreach (string line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line["data: ".Length..]);
                }
            }

            if (data.Count > 0)
            {
                events.Add(new SseEvent(name, string.Join("\n", data)));
            }
        }

        return events;
    }
}
