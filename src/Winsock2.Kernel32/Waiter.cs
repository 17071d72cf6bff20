namespace Winsock2.Kernel;

/// <summary>
/// One thread's wake-up signal: event objects and APC queues poke it, the thread sleeps on it. A wake that finds
/// the thread awake only records itself (one interlocked operation): the monitor is touched only when the thread
/// sleeps, or is about to.
/// </summary>
internal sealed class Waiter
{
    private const int Idle = 0, Woken = 1, Sleeping = 2;

    private readonly object _gate = new();
    private int _state;

    /// <summary>Wakes the thread if it sleeps, or makes its next sleep return at once.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _state, Woken) != Sleeping) return;
        // The sleeper checks the state under the lock before it waits, so this pulse cannot be lost.
        lock (_gate) Monitor.Pulse(_gate);
    }

    /// <summary>Sleeps until woken or until <paramref name="milliseconds"/> pass (-1 = forever).</summary>
    public void Sleep(int milliseconds)
    {
        if (milliseconds == 0 || Interlocked.CompareExchange(ref _state, Sleeping, Idle) == Woken)
        {
            Volatile.Write(ref _state, Idle); // consume a pending wake
            return;
        }
        lock (_gate)
        {
            if (Volatile.Read(ref _state) == Sleeping) Monitor.Wait(_gate, milliseconds);
        }
        Volatile.Write(ref _state, Idle); // woken, timed out, or spurious: every case consumes the wake
    }
}
