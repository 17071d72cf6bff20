namespace Winsock2.Providers.Rooted;

/// <summary>
/// The inbox's queued messages in arrival order: a growable ring of <see cref="InboxEntry"/> values. A message taken
/// from the middle (a per-leaf socket's receive on a root) leaves a hole that the head skips. Every member is called
/// under the queue's own lock (the instance), except <see cref="Has"/> and <see cref="FirstRemaining"/>, which take it.
/// </summary>
internal sealed class InboxQueue
{
    private InboxEntry[] _ring = new InboxEntry[16];
    private bool[] _hole = new bool[16];
    private int _head, _count;

    /// <summary>Appends a message.</summary>
    public void Add(in InboxEntry e)
    {
        lock (this)
        {
            if (_count == _ring.Length) Grow();
            int i = (_head + _count) & (_ring.Length - 1);
            _ring[i] = e;
            _hole[i] = false;
            _count++;
        }
    }

    /// <summary>The ring index of the first message (from <paramref name="source"/>, or any when null).</summary>
    public bool TryPeekFirst(LeafHandle? source, out int index)
    {
        int mask = _ring.Length - 1;
        for (int k = 0; k < _count; k++)
        {
            int i = (_head + k) & mask;
            if (_hole[i] || (source is not null && _ring[i].Source != source)) continue;
            index = i;
            return true;
        }
        index = -1;
        return false;
    }

    /// <summary>The message at a ring index <see cref="TryPeekFirst"/> returned.</summary>
    public ref InboxEntry At(int index) => ref _ring[index];

    /// <summary>Removes the message at a ring index and returns it.</summary>
    public InboxEntry RemoveAt(int index)
    {
        var e = _ring[index];
        _ring[index] = default;
        _hole[index] = true;
        int mask = _ring.Length - 1;
        while (_count > 0 && _hole[_head])
        {
            _hole[_head] = false;
            _head = (_head + 1) & mask;
            _count--;
        }
        return e;
    }

    /// <summary>Removes every message from <paramref name="source"/> and returns them.</summary>
    public List<InboxEntry> RemoveFrom(LeafHandle source)
    {
        var removed = new List<InboxEntry>();
        var at = new List<int>();
        int mask = _ring.Length - 1;
        for (int k = 0; k < _count; k++)
        {
            int i = (_head + k) & mask;
            if (!_hole[i] && _ring[i].Source == source) at.Add(i);
        }
        foreach (int i in at) removed.Add(RemoveAt(i)); // ring indices stay valid: removal only marks holes
        return removed;
    }

    /// <summary>True when a message (from <paramref name="source"/>, or any when null) is queued.</summary>
    public bool Has(LeafHandle? source)
    {
        if (source is null) return Volatile.Read(ref _count) > 0;
        lock (this) return TryPeekFirst(source, out _);
    }

    /// <summary>Bytes left of the first message (from <paramref name="source"/>, or any when null): FIONREAD.</summary>
    public int FirstRemaining(LeafHandle? source)
    {
        lock (this) return TryPeekFirst(source, out int i) ? _ring[i].Remaining : 0;
    }

    private void Grow()
    {
        var ring = new InboxEntry[_ring.Length * 2];
        var hole = new bool[ring.Length];
        int mask = _ring.Length - 1;
        for (int k = 0; k < _count; k++)
        {
            ring[k] = _ring[(_head + k) & mask];
            hole[k] = _hole[(_head + k) & mask];
        }
        _ring = ring;
        _hole = hole;
        _head = 0;
    }
}
