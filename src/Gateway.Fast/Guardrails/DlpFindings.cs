using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Guardrails;

/// <summary>Writes the <c>cf-aig-dlp</c> response header from the request's and response's verdicts (docs/gateway-api.md#response-headers).</summary>
/// <remarks>
/// Shape: <c>{"findings":[{"profile":{"context":{},"entry_ids":[…],"profile_id":"…"},"policy_ids":[…],"check":"REQUEST"}],"action":"BLOCK"}</c>.
/// One finding per (side, profile) that matched, listing the policies that name that profile. <c>action</c> is the worst
/// of both sides: <c>BLOCK</c>, <c>FLAG</c>, or (our choice) <c>MASK</c> when the only acting policy masked the request.
/// Only the detector ids go into the header, never the matched text. Runs only when something matched (cold path).
/// </remarks>
public static class DlpFindings
{
    /// <summary>The header value, or null when neither side matched a policy.</summary>
    public static string? ToHeader(DlpPolicySet policies, DlpVerdict request, DlpVerdict response)
    {
        if (request.Action == GuardAction.None && response.Action == GuardAction.None)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("findings"u8);
            WriteSide(w, policies, request);
            WriteSide(w, policies, response);
            w.WriteEndArray();
            var action = request.Action > response.Action ? request.Action : response.Action;
            w.WriteString("action"u8, action switch
            {
                GuardAction.Block => "BLOCK"u8,
                GuardAction.Mask => "MASK"u8,
                _ => "FLAG"u8,
            });
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteSide(Utf8JsonWriter w, DlpPolicySet policies, DlpVerdict verdict)
    {
        if (verdict.Action == GuardAction.None)
        {
            return;
        }

        // Profiles in the order the policies name them; each once per side.
        var seen = new List<string>();
        foreach (var policy in policies.Policies)
        {
            if (!policy.Checks(verdict.Check))
            {
                continue;
            }

            foreach (var profile in policy.Profiles)
            {
                var hit = profile.Entries & verdict.Matches;
                if (hit == DlpEntries.None || seen.Contains(profile.Id))
                {
                    continue;
                }

                seen.Add(profile.Id);
                w.WriteStartObject();
                w.WriteStartObject("profile"u8);
                w.WriteStartObject("context"u8);
                w.WriteEndObject();
                w.WriteStartArray("entry_ids"u8);
                for (uint bit = 1; bit != 0 && bit <= (uint)DlpEntries.All; bit <<= 1)
                {
                    if (((uint)hit & bit) != 0)
                    {
                        w.WriteStringValue(DlpProfiles.EntryIdUtf8((DlpEntries)bit));
                    }
                }

                w.WriteEndArray();
                w.WriteString("profile_id"u8, profile.Id);
                w.WriteEndObject();
                w.WriteStartArray("policy_ids"u8);
                foreach (var other in policies.Policies)
                {
                    if (other.Checks(verdict.Check) && Names(other, profile.Id))
                    {
                        w.WriteStringValue(other.Id);
                    }
                }

                w.WriteEndArray();
                w.WriteString("check"u8, verdict.Check == GuardCheck.Request ? "REQUEST"u8 : "RESPONSE"u8);
                w.WriteEndObject();
            }
        }
    }

    private static bool Names(DlpPolicy policy, string profileId)
    {
        foreach (var p in policy.Profiles)
        {
            if (p.Id == profileId)
            {
                return true;
            }
        }

        return false;
    }
}
