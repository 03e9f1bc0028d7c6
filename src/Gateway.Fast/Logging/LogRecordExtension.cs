namespace Gateway.Fast.Logging;

/// <summary>Tags of the optional fields a version 2 record carries after the fixed ones (<see cref="LogRecordCodec"/>).</summary>
/// <remarks>A new row field gets the next tag here rather than a new format version: readers skip tags they do not know,
/// so logs written by a newer gateway stay readable by an older one. A null field is not written at all, so rows
/// without a team, session or guardrail flag cost no byte more than before, and rows written before a tag existed
/// decode with that field null. Values never change once shipped: they are on disk.</remarks>
internal enum LogRecordExtension : byte
{
    None = 0,

    /// <summary>The team of the key that authenticated the request (docs/gateway-api.md#team-base-paths).</summary>
    TeamId = 1,

    /// <summary>That team's name when the row was written (a later rename does not rewrite old rows).</summary>
    TeamName = 2,

    /// <summary>The caller's <c>X-SESSION-ID</c> header or <c>session_id</c> cookie.</summary>
    SessionId = 3,

    /// <summary>The categories a FLAG-action guardrail matched, comma-separated (<c>S11,P1,custom:name</c>).</summary>
    GuardrailFlags = 4,
}
