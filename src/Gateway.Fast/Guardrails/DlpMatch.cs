namespace Gateway.Fast.Guardrails;

/// <summary>One detector hit: a byte range of the scanned text and the detector that found it.</summary>
public readonly record struct DlpMatch(int Start, int Length, DlpEntries Entry)
{
    public int End => Start + Length;
}
