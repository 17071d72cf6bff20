namespace Winsock2.Kernel;

/// <summary>A manual-reset event (WSAEVENT's object). Waiting threads register their <see cref="Waiter"/>.</summary>
internal sealed class EventObject
{
    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = new(2);
    private volatile bool _signaled;

    public bool IsSignaled => _signaled;

    public void Set()
    {
        Waiter[]? toWake = null;
        lock (_gate)
        {
            _signaled = true;
            if (_waiters.Count > 0) toWake = _waiters.ToArray();
        }
        if (toWake is null) return;
        foreach (var w in toWake) w.Wake();
    }

    public void Reset() => _signaled = false;

    public void AddWaiter(Waiter w) { lock (_gate) _waiters.Add(w); }

    public void RemoveWaiter(Waiter w) { lock (_gate) _waiters.Remove(w); }
}
