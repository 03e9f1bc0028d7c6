namespace Gateway.Fast.Guardrails;

/// <summary>The hazard categories of docs/gateway-api.md#guardrails-and-dlp (Llama Guard's taxonomy) as bits; a gateway gives each FLAG or BLOCK.</summary>
[Flags]
public enum GuardrailCategories : ushort
{
    None = 0,
    /// <summary>S1 Violent Crimes.</summary>
    S1 = 1 << 0,
    /// <summary>S2 Non-Violent Crimes.</summary>
    S2 = 1 << 1,
    /// <summary>S3 Sex-Related Crimes.</summary>
    S3 = 1 << 2,
    /// <summary>S4 Child Sexual Exploitation.</summary>
    S4 = 1 << 3,
    /// <summary>S5 Defamation.</summary>
    S5 = 1 << 4,
    /// <summary>S6 Specialized Advice.</summary>
    S6 = 1 << 5,
    /// <summary>S7 Privacy.</summary>
    S7 = 1 << 6,
    /// <summary>S8 Intellectual Property.</summary>
    S8 = 1 << 7,
    /// <summary>S9 Indiscriminate Weapons.</summary>
    S9 = 1 << 8,
    /// <summary>S10 Hate.</summary>
    S10 = 1 << 9,
    /// <summary>S11 Suicide and Self-Harm.</summary>
    S11 = 1 << 10,
    /// <summary>S12 Sexual Content.</summary>
    S12 = 1 << 11,
    /// <summary>S13 Elections.</summary>
    S13 = 1 << 12,
    /// <summary>P1 Prompt Injection.</summary>
    P1 = 1 << 13,
}

/// <summary>The wire names of <see cref="GuardrailCategories"/> (<c>S1</c>…<c>S13</c>, <c>P1</c>), in bit order.</summary>
public static class GuardrailCategoryNames
{
    public const int Count = 14;

    private static readonly string[] Names = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S11", "S12", "S13", "P1"];

    /// <summary>The name of bit <paramref name="index"/> (0 = S1, 13 = P1).</summary>
    public static string NameOf(int index) => Names[index];

    /// <summary>The bit index of a wire name, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>"S1,P1" for a log record (cold path).</summary>
    public static string Format(GuardrailCategories categories)
    {
        var parts = new List<string>();
        for (int i = 0; i < Count; i++)
        {
            if (((int)categories & (1 << i)) != 0)
            {
                parts.Add(Names[i]);
            }
        }

        return string.Join(',', parts);
    }
}
