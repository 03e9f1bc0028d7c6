namespace Gateway.Fast.Accounting;

/// <summary>One number a usage object may carry; each wire format maps its field names onto these.</summary>
internal enum UsageSlot : byte
{
    None,
    Input,
    Output,
    CacheRead,
    CacheWrite,
    Thoughts,
    ToolUsePrompt,
    BilledInput,
    BilledOutput,
    Total,
    Count,
}
