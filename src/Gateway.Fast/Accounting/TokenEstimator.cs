using System.Buffers;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using Gateway.Fast.Json;
using Microsoft.ML.Tokenizers;

namespace Gateway.Fast.Accounting;

/// <summary>
/// Counts tokens with the o200k tokenizer (GPT-4o's) when a provider reports no usage: an estimate for every model,
/// exact only for OpenAI's. Loaded on first use (not at start: its ~38 MB of tables would sit in an idle gateway), shared
/// while in use, and let go once unused for a while (<see cref="ReleaseIfIdle"/>); <see cref="Tokenizer"/> is thread-safe.
/// </summary>
/// <remarks>
/// Loading takes from half a second to seconds of one core. A blocking <see cref="Lazy{T}"/> made every request that
/// needed an estimate meanwhile wait on its lock, each holding a thread-pool thread: a soak traced 50 threads waiting
/// 3 s at the first burst of streams, the pool starved, and every open stream went silent. The load runs once, on a
/// task; the request path awaits <see cref="WhenLoaded"/> (see <see cref="IsLoaded"/>) instead of blocking on it.
/// The tables are read from the data package's embedded file through the stream overload, not by model name: that
/// overload keeps them in a static cache of the library's for the process's life, so a released tokenizer freed nothing.
/// </remarks>
public static class TokenEstimator
{
    private const string VocabularyAssembly = "Microsoft.ML.Tokenizers.Data.O200kBase";
    private const string VocabularyResource = "o200k_base.tiktoken.deflate";

    private static Task<Tokenizer>? _loading;
    private static long _lastUsedMs;

    /// <summary>True once the tokenizer is ready: counting no longer waits.</summary>
    public static bool IsLoaded => Volatile.Read(ref _loading) is { IsCompletedSuccessfully: true };

    /// <summary>Starts the load if nobody has; completes when the tokenizer is ready.</summary>
    public static Task WhenLoaded => Loading();

    /// <summary>The tokenizer; blocks while it loads (cold paths; the request path awaits <see cref="WhenLoaded"/> first).</summary>
    public static Tokenizer Tokenizer
    {
        get
        {
            var loading = Loading();
            Volatile.Write(ref _lastUsedMs, Environment.TickCount64);
            return loading.GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Lets the loaded tokenizer go when nothing counted with it for <paramref name="idle"/>, so the next full collection
    /// frees its tables; the next estimate loads them again. True when it was let go.
    /// </summary>
    /// <remarks>
    /// A count already running keeps its own reference and finishes. A request that saw <see cref="IsLoaded"/> just before
    /// the release loads the tables again on its own thread; the release comes only after <paramref name="idle"/> without
    /// a single count, so that window is one of microseconds at the end of a quiet spell.
    /// </remarks>
    public static bool ReleaseIfIdle(TimeSpan idle)
    {
        var loading = Volatile.Read(ref _loading);
        if (loading is not { IsCompleted: true }
            || Environment.TickCount64 - Volatile.Read(ref _lastUsedMs) < (long)idle.TotalMilliseconds)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _loading, null, loading) == loading;
    }

    private static Task<Tokenizer> Loading()
    {
        var loading = Volatile.Read(ref _loading);
        if (loading is not null)
        {
            return loading;
        }

        // Only the task is created under the race, never the tables: the loser's task is never started.
        var created = new Task<Tokenizer>(static () => Load());
        loading = Interlocked.CompareExchange(ref _loading, created, null) ?? created;
        if (loading == created)
        {
            Volatile.Write(ref _lastUsedMs, Environment.TickCount64);
            created.Start(TaskScheduler.Default);
        }

        return loading;
    }

    private static TiktokenTokenizer Load()
    {
        // The data package's one type is internal: its assembly is loaded by name (a package reference of this project).
        using var compressed = Assembly.Load(VocabularyAssembly).GetManifestResourceStream(VocabularyResource)
            ?? throw new InvalidOperationException($"The tokenizer's vocabulary ({VocabularyResource}) is missing from its data package.");
        using var vocabulary = new DeflateStream(compressed, CompressionMode.Decompress);
        return TiktokenTokenizer.CreateForModel("gpt-4o", vocabulary);
    }

    public static int Count(string text) => text.Length == 0 ? 0 : Tokenizer.CountTokens(text);

    /// <summary>The same count for text in a buffer (the tokenizer's span overload: no string, no regex match objects).</summary>
    public static int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : Tokenizer.CountTokens(text);

    /// <summary>
    /// Tokens in the message text of a request body: every string value of a <c>content</c>, <c>text</c>, <c>prompt</c>,
    /// <c>input</c>, <c>system</c>, <c>instructions</c> or <c>message</c> property at any depth, and the strings of an
    /// array under one (<c>"input":["a","b"]</c>). Other strings (roles, part types, base64 images) do not count.
    /// A body that is not JSON counts as text.
    /// </summary>
    public static int CountRequestText(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return 0;
        }

        var reader = new Utf8JsonReader(body);
        int total = 0;
        int textArray = -1; // depth of an array opened by a text property: its direct string elements count
        int depth = 0;
        bool textValue = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        textValue = JsonTextProperties.IsRequestText(ref reader);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        depth++;
                        if (textValue && reader.TokenType == JsonTokenType.StartArray && textArray < 0)
                        {
                            textArray = depth;
                        }

                        textValue = false;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (depth == textArray)
                        {
                            textArray = -1;
                        }

                        depth--;
                        break;
                    case JsonTokenType.String:
                        if (textValue || depth == textArray)
                        {
                            total += CountString(ref reader);
                        }

                        textValue = false;
                        break;
                    default:
                        textValue = false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return total + Count(global::System.Text.Encoding.UTF8.GetString(body));
        }

        return total;
    }

    /// <summary>Tokens in a run of JSON string values separated by whitespace (what <see cref="UsageReader"/> captures).</summary>
    /// <remarks>
    /// The strings are unescaped one after the other into one pooled buffer and counted together, as their concatenation.
    /// An unescaped string never has more UTF-16 units than its JSON form has bytes, so a buffer of the input's length
    /// holds them all. A streamed answer's text was 64 strings and a StringBuilder (~4.5 KB) per logged stream before.
    /// </remarks>
    public static int CountJsonStrings(ReadOnlySpan<byte> strings)
    {
        if (strings.IsEmpty)
        {
            return 0;
        }

        var text = ArrayPool<char>.Shared.Rent(strings.Length);
        try
        {
            var reader = new Utf8JsonReader(strings, new JsonReaderOptions { AllowMultipleValues = true });
            int length = 0;
            try
            {
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        length += reader.CopyString(text.AsSpan(length));
                    }
                }
            }
            catch (JsonException)
            {
                // a cut final piece: count what was read
            }

            return Count(text.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>
    /// Tokens in the request string the reader is on: from <see cref="TokenCountCache"/> when the same string was counted
    /// lately, else unescaped into a stack or pooled buffer of its raw length (an upper bound) and counted.
    /// </summary>
    private static int CountString(ref Utf8JsonReader reader)
    {
        // A string split across a sequence's segments is rare (bodies are read into one buffer): it is counted uncached.
        ulong key = reader.HasValueSequence ? 0 : TokenCountCache.Key(reader.ValueSpan);
        if (key != 0 && TokenCountCache.TryGet(key, out int cached))
        {
            return cached;
        }

        int count = CountUnescaped(ref reader);
        if (key != 0)
        {
            TokenCountCache.Add(key, count);
        }

        return count;
    }

    private static int CountUnescaped(ref Utf8JsonReader reader)
    {
        int bound = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (bound <= 256)
        {
            Span<char> small = stackalloc char[256];
            return Count(small[..reader.CopyString(small)]);
        }

        var rented = ArrayPool<char>.Shared.Rent(bound);
        try
        {
            return Count(rented.AsSpan(0, reader.CopyString(rented)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
