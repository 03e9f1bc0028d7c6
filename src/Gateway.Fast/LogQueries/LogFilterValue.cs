using System.Globalization;

namespace Gateway.Fast.LogQueries;

/// <summary>One value of a filter, already typed for its key: text, number (times as unix ms), boolean or null.</summary>
public readonly record struct LogFilterValue
{
    private LogFilterValue(LogFilterValueKind kind, string? text, double number, bool boolean)
    {
        Kind = kind;
        Text = text;
        Number = number;
        Boolean = boolean;
    }

    public LogFilterValueKind Kind { get; }

    public string? Text { get; }

    public double Number { get; }

    public bool Boolean { get; }

    public static LogFilterValue Null => default;

    public bool IsNull => Kind == LogFilterValueKind.Null;

    public static LogFilterValue Of(string text) => new(LogFilterValueKind.Text, text, 0, false);

    public static LogFilterValue Of(double number) => new(LogFilterValueKind.Number, null, number, false);

    public static LogFilterValue Of(bool boolean) => new(LogFilterValueKind.Boolean, null, 0, boolean);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        LogFilterValueKind.Text => Text!,
        LogFilterValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        LogFilterValueKind.Boolean => Boolean ? "true" : "false",
        _ => "null",
    };
}

/// <summary>What a <see cref="LogFilterValue"/> holds.</summary>
public enum LogFilterValueKind : byte
{
    Null,
    Text,
    Number,
    Boolean,
}
