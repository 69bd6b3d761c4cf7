using System.Collections.Concurrent;
using Orleans.Storage;

namespace Focus.IntegrationTests.Control;

/// <summary>
/// Grain storage in memory that shows what it holds (records per grain type) and fails writes on demand, like a
/// database blip. Like the ADO.NET storage, it refuses a write over a record whose ETag the grain does not hold.
/// </summary>
public sealed class CountingGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (object Value, string ETag)> _records = new();

    /// <summary>Writes (not clears) of state <see cref="FailWritesOf"/> fail while this is above 0, counting down.</summary>
    public int FailWrites;

    public string FailWritesOf { get; set; } = "job";

    /// <summary>
    /// Writes of state <see cref="FailWritesOf"/> land but their answer is lost (the connection cut after the commit)
    /// while this is above 0, counting down: the grain keeps the ETag from before.
    /// </summary>
    public int LoseWriteAnswers;

    /// <summary>Reads of state "job" fail while this is above 0, counting down: an activation that cannot load its record.</summary>
    public int FailJobReads;

    /// <summary>What a failing job read throws; null: the database not answering (an <see cref="IOException"/>).</summary>
    public Func<Exception>? JobReadFault { get; set; }

    /// <summary>Drops a record behind its grain's back (a lost or forgotten record).</summary>
    public void Remove(string stateName, string key)
    {
        foreach (var k in _records.Keys.Where(k => k.State == stateName && k.Grain.Key.ToString() == key).ToList()) _records.TryRemove(k, out _);
    }

    public int Records(string stateName) => _records.Keys.Count(k => k.State == stateName);

    public bool Holds(string stateName, string key) => _records.Keys.Any(k => k.State == stateName && k.Grain.Key.ToString() == key);

    /// <summary>Every record of a state.</summary>
    public IReadOnlyList<T> All<T>(string stateName) where T : class =>
        [.. _records.Where(r => r.Key.State == stateName).Select(r => r.Value.Value).OfType<T>()];

    public T? Read<T>(string stateName, string key) where T : class =>
        _records.FirstOrDefault(r => r.Key.State == stateName && r.Key.Grain.Key.ToString() == key).Value.Value as T;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName == "job" && Volatile.Read(ref FailJobReads) > 0 && Interlocked.Decrement(ref FailJobReads) >= 0)
            throw JobReadFault?.Invoke() ?? new IOException("injected: the database did not answer");
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = (T)record.Value;
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName == FailWritesOf && Volatile.Read(ref FailWrites) > 0 && Interlocked.Decrement(ref FailWrites) >= 0)
            throw new IOException("injected: the database did not answer");
        RefuseForeignETag(stateName, grainId, grainState);
        var etag = Guid.NewGuid().ToString("N");
        _records[(stateName, grainId)] = (grainState.State!, etag);
        if (stateName == FailWritesOf && Volatile.Read(ref LoseWriteAnswers) > 0 && Interlocked.Decrement(ref LoseWriteAnswers) >= 0)
            throw new IOException("injected: the connection was cut after the commit");
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        RefuseForeignETag(stateName, grainId, grainState);
        _records.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private void RefuseForeignETag<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var stored) && stored.ETag != grainState.ETag)
            throw new InconsistentStateException($"{stateName} of {grainId}: stored version {stored.ETag}, written over {grainState.ETag}", stored.ETag, grainState.ETag);
    }
}
