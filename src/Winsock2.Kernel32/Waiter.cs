namespace Winsock2.Kernel;

/// <summary>
/// One thread's wake-up signal: event objects and APC queues poke it, the thread sleeps on it. A wake that finds
/// the thread awake only records itself (one interlocked operation): the monitor is touched only when the thread
/// sleeps, or is about to.
/// </summary>
internal sealed class Waiter
{
    private const int Idle = 0, Woken = 1, Sleeping = 2, SleepingElsewhere = 3;

    private readonly object _gate = new();
    private int _state;

    /// <summary>True while the thread sleeps on this waiter or elsewhere (a test seam: a blocked call is known to be asleep).</summary>
    public bool Asleep => Volatile.Read(ref _state) is Sleeping or SleepingElsewhere;

    /// <summary>
    /// What ends a sleep the thread takes elsewhere (<see cref="BeginSleepElsewhere"/>), e.g. a write to a descriptor
    /// the thread polls besides a socket. Set by the thread itself before each such sleep (the descriptor is lent for
    /// that sleep only); a wake that read the previous one makes another sleeper return early, which looks again.
    /// </summary>
    public Action? WakeElsewhere
    {
        get => Volatile.Read(ref _wakeElsewhere);
        set => Volatile.Write(ref _wakeElsewhere, value);
    }
    private Action? _wakeElsewhere;

    /// <summary>
    /// A wake came while the thread was awake (its next sleep would return at once): consumed, true. For a thread that
    /// waits without sleeping on this waiter.
    /// </summary>
    public bool TakePendingWake() => Interlocked.CompareExchange(ref _state, Idle, Woken) == Woken;

    /// <summary>Wakes the thread if it sleeps, or makes its next sleep return at once.</summary>
    public void Wake()
    {
        int was = Interlocked.Exchange(ref _state, Woken);
        if (was == SleepingElsewhere)
        {
            WakeElsewhere?.Invoke();
            return;
        }
        if (was != Sleeping) return;
        // The sleeper checks the state under the lock before it waits, so this pulse cannot be lost.
        lock (_gate) Monitor.Pulse(_gate);
    }

    /// <summary>
    /// The thread is about to sleep somewhere other than this monitor (a poll that <see cref="WakeElsewhere"/> ends):
    /// false when a wake is already pending (consumed; do not sleep). After the sleep, <see cref="EndSleepElsewhere"/>.
    /// </summary>
    public bool BeginSleepElsewhere()
    {
        if (Interlocked.CompareExchange(ref _state, SleepingElsewhere, Idle) != Woken) return true;
        Consume();
        return false;
    }

    /// <summary>
    /// The sleep <see cref="BeginSleepElsewhere"/> began is over: a wake that came meanwhile is consumed. A full fence:
    /// the caller's next look at its condition comes after it, so a waker that set the condition before its wake was
    /// consumed here is seen.
    /// </summary>
    public void EndSleepElsewhere() => Consume();

    /// <summary>Sleeps until woken or until <paramref name="milliseconds"/> pass (-1 = forever).</summary>
    public void Sleep(int milliseconds)
    {
        if (milliseconds == 0 || Interlocked.CompareExchange(ref _state, Sleeping, Idle) == Woken)
        {
            Consume(); // a pending wake
            return;
        }
        try
        {
            lock (_gate)
            {
                if (Volatile.Read(ref _state) == Sleeping) Monitor.Wait(_gate, milliseconds);
            }
        }
        finally
        {
            // Woken, timed out, spurious, or interrupted (Thread.Interrupt): every case consumes the wake and never
            // leaves the state Sleeping, which would send later wakes to the monitor instead of a sleep elsewhere.
            Consume();
        }
    }

    /// <summary>
    /// The thread takes the wake that ended (or cut short) its sleep and will look at its condition next. A full fence,
    /// never a plain store: with a plain one, the caller's next look could be made before the store reached memory, and
    /// a waker that set the condition and found the state still Woken in between (so it skipped the pulse) would have
    /// its wake erased while the look missed its condition — the thread would sleep on through a wake that was sent.
    /// </summary>
    private void Consume() => Interlocked.Exchange(ref _state, Idle);
}
