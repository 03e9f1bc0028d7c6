namespace Gateway.Fast.Logging;

/// <summary>What the writer takes from the queue: an append (the hot path) or a cold-path request with its completion.</summary>
internal readonly struct LogCommand
{
    private LogCommand(LogCommandKind kind, LogRowBuffer row, object? state)
    {
        Kind = kind;
        Row = row;
        State = state;
    }

    public LogCommandKind Kind { get; }

    public LogRowBuffer Row { get; }

    /// <summary>The cold-path request (<see cref="LogRequest"/> subclass) for anything but an append.</summary>
    public object? State { get; }

    public static LogCommand Append(LogRowBuffer row) => new(LogCommandKind.Append, row, null);

    public static LogCommand Request(LogRequest request) => new(request.Kind, default, request);
}

internal enum LogCommandKind : byte
{
    Append,
    Flush,
    Update,
    Delete,
    Sweep,
    Checkpoint,
}

/// <summary>A cold-path request handled by the writer, in queue order with the appends before it.</summary>
internal abstract class LogRequest(LogCommandKind kind)
{
    public LogCommandKind Kind { get; } = kind;

    public abstract void Fail(Exception exception);
}

/// <summary>A request completed with a result once its effects are committed.</summary>
internal sealed class LogRequest<T>(LogCommandKind kind) : LogRequest(kind)
{
    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Id { get; init; }

    public Func<LogRecord, LogRecord>? Change { get; init; }

    public IReadOnlyCollection<string>? Ids { get; init; }

    public long NowUnixMs { get; init; }

    public override void Fail(Exception exception) => Completion.TrySetException(exception);
}
