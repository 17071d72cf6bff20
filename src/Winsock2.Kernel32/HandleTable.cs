using System.Collections.Concurrent;

namespace Winsock2.Kernel;

/// <summary>
/// Maps handle values to objects. Values the table generates (<see cref="Add"/>) start at 0x100, step by 4, as
/// Windows handles do, and are never reused. <see cref="TryInsert"/> records a value someone else chose (an IFS
/// provider's own handle, WPUModifyIFSHandle). The two never collide: an inserted value must not be live and must
/// not be one the table generated before (even if that socket was closed, so a stale handle never reaches the new
/// socket); the generator skips every value that was ever inserted and every live one. An inserted value may be
/// inserted again after its removal (an IFS provider may reuse its own handle values, as Windows' kernel does).
///
/// Lookups go through a one-entry cache per thread (the same handle is looked up several times per API call: the
/// dispatch, the provider's context query, the next call on the same socket). Every removal bumps a version that
/// invalidates all cached entries, so a lookup that starts after a removal returned never sees the removed value.
/// </summary>
internal sealed class HandleTable<T> where T : class
{
    private const long Step = 4;
    /// <summary>The first value <see cref="Add"/> gives (0x100 unless a table keeps its own range).</summary>
    private readonly long First;

    /// <summary>A table whose generated values start at <paramref name="first"/> (a multiple of 4; 0x100 as sockets' and events' do).</summary>
    public HandleTable(long first = 0x100)
    {
        First = first;
        _next = first - Step;
    }

    private readonly ConcurrentDictionary<nuint, T> _map = new();
    private readonly ConcurrentDictionary<nuint, byte> _inserted = new();
    private readonly object _insertGate = new();
    private long _next;
    private long _removals;

    [ThreadStatic] private static Cached t_last;

    private struct Cached
    {
        public HandleTable<T>? Table;
        public nuint Handle;
        public T? Value;
        public long Version;
    }

    public nuint Add(T value)
    {
        while (true)
        {
            var h = (nuint)Interlocked.Add(ref _next, Step);
            if (_inserted.ContainsKey(h)) continue;
            if (_map.TryAdd(h, value)) return h;
        }
    }

    /// <summary>Records <paramref name="value"/> under a handle value the caller chose; false if it is live or was generated here.</summary>
    public bool TryInsert(nuint handle, T value)
    {
        lock (_insertGate)
        {
            ulong h = handle;
            bool onLattice = h >= (ulong)First && (h - (ulong)First) % Step == 0;
            bool generatedBefore = onLattice && h <= (ulong)Interlocked.Read(ref _next) && !_inserted.ContainsKey(handle);
            if (generatedBefore) return false;
            // Marked before it becomes live, so a concurrent Add that passes the mark check still fails TryAdd.
            bool marked = _inserted.TryAdd(handle, 0);
            if (_map.TryAdd(handle, value)) return true;
            if (marked) _inserted.TryRemove(handle, out _);
            return false;
        }
    }

    public bool TryGet(nuint handle, out T value)
    {
        ref var last = ref t_last;
        long version = Volatile.Read(ref _removals);
        if (ReferenceEquals(last.Table, this) && last.Handle == handle && last.Version == version)
        {
            value = last.Value!;
            return true;
        }
        if (!_map.TryGetValue(handle, out value!)) return false;
        last.Table = this;
        last.Handle = handle;
        last.Value = value;
        last.Version = version; // read before the lookup: a removal in between leaves the entry stale, never wrong
        return true;
    }

    public bool TryRemove(nuint handle, out T value) => Removed(_map.TryRemove(handle, out value!));

    /// <summary>Removes the handle only while it still maps to <paramref name="value"/>.</summary>
    public bool TryRemove(nuint handle, T value) => Removed(_map.TryRemove(new KeyValuePair<nuint, T>(handle, value)));

    private bool Removed(bool removed)
    {
        if (removed) Interlocked.Increment(ref _removals);
        return removed;
    }

    public ICollection<nuint> Keys => _map.Keys;

    public int Count => _map.Count;
}
