using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// The threads waiting for a socket's readiness to change (select, and a provider's blocking accept, connect, join
/// or send). <see cref="Add"/> and <see cref="Remove"/> take the socket's lock; the rest is called under it.
/// </summary>
internal sealed class ReadyWaiters(Lock gate)
{
    private readonly List<ThreadContext> _waiters = new();

    /// <summary>Adds a thread to be woken on any readiness change.</summary>
    public void Add(ThreadContext ctx) { lock (gate) _waiters.Add(ctx); }

    /// <summary>Removes a thread added by <see cref="Add"/>.</summary>
    public void Remove(ThreadContext ctx) { lock (gate) _waiters.Remove(ctx); }

    /// <summary>Wakes every waiting thread (under the lock).</summary>
    public void WakeAll()
    {
        foreach (var w in _waiters) w.Waiter.Wake();
    }

    /// <summary>The waiting threads now (under the lock), to be woken by <see cref="Wake"/> once the lock is released.</summary>
    public ThreadContext[] Snapshot() => _waiters.Count == 0 ? [] : _waiters.ToArray();

    /// <summary>Wakes the threads a <see cref="Snapshot"/> took.</summary>
    public static void Wake(ThreadContext[] threads)
    {
        foreach (var w in threads) w.Waiter.Wake();
    }

    /// <summary>
    /// A blocking wait (alertable) on the calling thread, registered as a waiter so that readiness changes wake it,
    /// until <paramref name="done"/>(<paramref name="state"/>) holds or the timeout passes: 0 or the wait's error.
    /// <paramref name="sleep"/>, when given, replaces the waiter's sleep (a call that waits on its own socket).
    /// </summary>
    public int WaitFor<TState>(TState state, Func<TState, bool> done, int timeoutMs, Action<TState, int>? sleep = null)
    {
        var ctx = ThreadContext.Current;
        Add(ctx);
        try { return Waits.BlockingWait(state, done, timeoutMs, sleep); }
        finally { Remove(ctx); }
    }
}
