using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Management;

/// <summary>A validated <c>PATCH …/logs/{id}</c> body: <c>{"feedback":-1|0|1|null,"score":number|null,"metadata":{…}|null}</c>; absent fields stay.</summary>
internal sealed class LogsPatch
{
    /// <summary>Metadata keeps at most 5 entries, as <c>cf-aig-metadata</c> does.</summary>
    public const int MaxMetadataEntries = 5;

    public bool HasFeedback { get; private set; }

    public int Feedback { get; private set; }

    public bool HasScore { get; private set; }

    public double? Score { get; private set; }

    public bool HasMetadata { get; private set; }

    /// <summary>The new metadata as JSON text, or null to clear it.</summary>
    public string? Metadata { get; private set; }

    public static LogsPatch Read(JsonElement body, List<V4Error> errors)
    {
        var patch = new LogsPatch();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(400, "The request body must be a JSON object"));
            return patch;
        }

        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "feedback":
                    patch.HasFeedback = true;
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        patch.Feedback = 0;
                    }
                    else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var feedback) && feedback is >= -1 and <= 1)
                    {
                        patch.Feedback = feedback;
                    }
                    else
                    {
                        errors.Add(new(400, "feedback must be -1, 0, 1 or null", "feedback"));
                    }

                    break;
                case "score":
                    patch.HasScore = true;
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        patch.Score = null;
                    }
                    else if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var score) && double.IsFinite(score))
                    {
                        patch.Score = score;
                    }
                    else
                    {
                        errors.Add(new(400, "score must be a number or null", "score"));
                    }

                    break;
                case "metadata":
                    patch.HasMetadata = true;
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        patch.Metadata = null;
                    }
                    else if (TryWriteMetadata(value, out var text))
                    {
                        patch.Metadata = text;
                    }
                    else
                    {
                        errors.Add(new(400, $"metadata must be an object of at most {MaxMetadataEntries} string, number or boolean values, or null", "metadata"));
                    }

                    break;
            }
        }

        return patch;
    }

    private static bool TryWriteMetadata(JsonElement value, out string text)
    {
        text = "";
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var count = 0;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var entry in value.EnumerateObject())
            {
                if (++count > MaxMetadataEntries
                    || entry.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    return false;
                }

                // Numbers keep the text they were sent with (no double round trip).
                entry.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return true;
    }
}
