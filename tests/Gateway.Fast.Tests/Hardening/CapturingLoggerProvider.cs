using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Tests.Hardening;

/// <summary>
/// Records every line the gateway process logs at the levels its filters let through: the formatted message, each
/// structured value, the exception with its stack and inner exceptions, and every scope the line is written in (stricter
/// than a console logger, which prints scopes only when asked). A secret found in none of these reaches no logging sink.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Everything recorded so far, one entry per log call or scope.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder();
            line.Append(logLevel).Append(' ').Append(category).Append('[').Append(eventId.Id).Append("] ");
            line.Append(formatter(state, exception)).Append(" | ").Append(Describe(state));
            owner._scopes.ForEachScope(static (scope, text) => text.Append(" => ").Append(Describe(scope)), line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception); // ToString: type, message, stack, inner exceptions
            }

            lines.Enqueue(line.ToString());
        }

        private static string Describe(object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                var text = new StringBuilder();
                foreach (var (key, value) in values)
                {
                    text.Append(key).Append('=').Append(value).Append(';');
                }

                return text.ToString();
            }

            return state?.ToString() ?? "";
        }
    }
}
