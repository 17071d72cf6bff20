using System.Collections.Concurrent;

namespace Winsock2.Runtime;

/// <summary>Maps never-reused handle values to objects. Values start at 0x100 and step by 4, as Windows handles do.</summary>
internal sealed class HandleTable<T> where T : class
{
    private readonly ConcurrentDictionary<nuint, T> _map = new();
    private long _next = 0x100 - 4;

    public nuint Add(T value)
    {
        var h = (nuint)Interlocked.Add(ref _next, 4);
        _map[h] = value;
        return h;
    }

    public bool TryGet(nuint handle, out T value) => _map.TryGetValue(handle, out value!);

    public bool TryRemove(nuint handle, out T value) => _map.TryRemove(handle, out value!);

    public ICollection<nuint> Keys => _map.Keys;

    public int Count => _map.Count;
}
