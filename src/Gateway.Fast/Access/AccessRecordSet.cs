using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Fast.Storage;

namespace Gateway.Fast.Access;

/// <summary>One kind of access record: an immutable in-memory view, replaced on each committed change (copy on write).</summary>
/// <remarks>
/// Reads take <see cref="Current"/> without a lock; a mutation holds <see cref="WriteLock"/> for its read-modify-write,
/// commits through <see cref="AccessRecordStore"/> (durable before it returns), then publishes the new view.
/// </remarks>
internal abstract class AccessRecordSet<T> : IReplicatedRecords where T : class, IStoredRecord
{
    private readonly AccessRecordStore _records;
    private readonly string _prefix;
    private readonly JsonTypeInfo<T> _json;
    private Dictionary<string, T> _current;

    protected AccessRecordSet(AccessRecordStore records, string prefix, JsonTypeInfo<T> json)
    {
        _records = records;
        _prefix = prefix;
        _json = json;
        var loaded = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in records.Load(prefix))
        {
            var record = JsonSerializer.Deserialize(value, json) ?? throw new InvalidDataException($"Access record '{key}' is null.");
            loaded[record.Id] = record;
        }

        _current = loaded;
    }

    /// <summary>Serialises mutations of this kind of record.</summary>
    protected SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Every record by id; an immutable view.</summary>
    protected IReadOnlyDictionary<string, T> Current => Volatile.Read(ref _current);

    /// <summary>Called once at construction and after each commit, with the view about to be published (build indexes here).</summary>
    protected abstract void OnPublish(IReadOnlyDictionary<string, T> records);

    /// <summary>Builds the first indexes; derived constructors call it once their own fields are set.</summary>
    protected void Initialise() => OnPublish(_current);

    /// <summary>Stores (adds or replaces) <paramref name="record"/>; call with <see cref="WriteLock"/> held.</summary>
    protected async ValueTask PutAsync(T record)
    {
        await _records.CommitAsync(_prefix + record.Id, JsonSerializer.Serialize(record, _json)).ConfigureAwait(false);
        var next = new Dictionary<string, T>(Volatile.Read(ref _current), StringComparer.Ordinal) { [record.Id] = record };
        Publish(next);
    }

    /// <summary>Deletes the record with <paramref name="id"/>; call with <see cref="WriteLock"/> held.</summary>
    protected async ValueTask RemoveAsync(string id)
    {
        await _records.CommitAsync(_prefix + id, null).ConfigureAwait(false);
        var next = new Dictionary<string, T>(Volatile.Read(ref _current), StringComparer.Ordinal);
        next.Remove(id);
        Publish(next);
    }

    string IReplicatedRecords.Prefix => _prefix;

    Dictionary<string, string> IReplicatedRecords.Export()
    {
        var current = Volatile.Read(ref _current);
        var records = new Dictionary<string, string>(current.Count, StringComparer.Ordinal);
        foreach (var (id, record) in current)
        {
            records[id] = JsonSerializer.Serialize(record, _json);
        }

        return records;
    }

    async ValueTask<bool> IReplicatedRecords.ApplyAsync(string id, string? json, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Volatile.Read(ref _current);
            bool exists = current.TryGetValue(id, out var existing);
            if (json is null)
            {
                if (exists)
                {
                    await _records.CommitLocalAsync(_prefix + id, null).ConfigureAwait(false);
                    var without = new Dictionary<string, T>(current, StringComparer.Ordinal);
                    without.Remove(id);
                    Publish(without);
                }

                return true;
            }

            if (exists && JsonSerializer.Serialize(existing!, _json) == json)
            {
                return true;
            }

            var record = JsonSerializer.Deserialize(json, _json);
            if (record is null || record.Id != id || !Accepts(record))
            {
                return false;
            }

            await _records.CommitLocalAsync(_prefix + id, json).ConfigureAwait(false);
            Publish(new Dictionary<string, T>(current, StringComparer.Ordinal) { [id] = record });
            return true;
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>Whether a record from the fleet can be used here (<see cref="ProviderKeyStore"/>: its secret opens with this
    /// replica's master key); one that cannot is not applied, so it cannot fail the publish.</summary>
    protected virtual bool Accepts(T record) => true;

    private void Publish(Dictionary<string, T> next)
    {
        // Indexes first, then the view: a reader never finds a record the index does not have yet.
        OnPublish(next);
        Volatile.Write(ref _current, next);
    }
}
