using System.Runtime.CompilerServices;

namespace Gateway.Fast.Accounting;

/// <summary>
/// The latest value seen for each <see cref="UsageSlot"/>: later usage objects overwrite the fields they carry, so
/// Anthropic's <c>message_delta</c> replaces the output count of <c>message_start</c> and keeps its input count, and
/// Gemini's last chunk wins over the partial figures repeated in every earlier one.
/// </summary>
internal struct UsageAccumulator
{
    private SlotValues _values;
    private int _present; // bit per UsageSlot

    public readonly bool Any => _present != 0;

    public void Set(UsageSlot slot, int value)
    {
        _values[(int)slot] = value;
        _present |= 1 << (int)slot;
    }

    public readonly bool Has(UsageSlot slot) => (_present & (1 << (int)slot)) != 0;

    public readonly int Get(UsageSlot slot) => Has(slot) ? _values[(int)slot] : 0;

    public readonly int? GetOrNull(UsageSlot slot) => Has(slot) ? _values[(int)slot] : null;

    public void Reset() => this = default;

    [InlineArray((int)UsageSlot.Count)]
    private struct SlotValues
    {
        private int _element;
    }
}
