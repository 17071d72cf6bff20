using System.Collections.Concurrent;
using System.Diagnostics;

namespace Winsock2.Runtime;

/// <summary>
/// Per-thread state the API layer owns: the last error, the APC queue, the alertable-wait machinery,
/// the blocking-call marker, and I/O rundown when the thread exits. Plays the part kernel32 plays on Windows.
/// </summary>
internal sealed class ThreadContext
{
    [ThreadStatic] private static ThreadContext? _current;

    private readonly ConcurrentQueue<(LPWSAUSERAPC Routine, object? Context)> _apcs = new();
    private readonly List<Action> _rundowns = new();

    public ThreadContext(Thread owner)
    {
        Owner = owner;
        Handle = ThreadRegistry.Register(this);
    }

    /// <summary>The calling thread's context (created on first use).</summary>
    public static ThreadContext Current => _current ??= new ThreadContext(Thread.CurrentThread);

    public Thread Owner { get; }

    /// <summary>The handle WSATHREADID carries.</summary>
    public nint Handle { get; }

    public Waiter Waiter { get; } = new();

    /// <summary>WSAGetLastError's value.</summary>
    public int LastError;

    /// <summary>Nonzero while a blocking Winsock call waits on this thread.</summary>
    public int BlockingDepth;

    /// <summary>Nonzero while APCs run on this thread.</summary>
    public int ApcDepth;

    /// <summary>Set by WSPCancelBlockingCall: the blocking call in progress fails with WSAEINTR.</summary>
    public volatile bool CancelBlocking;

    public bool IsDead => !Owner.IsAlive;

    public bool HasApcs => !_apcs.IsEmpty;

    /// <summary>Queues an APC; it runs during the thread's next alertable wait. False if the thread is gone.</summary>
    public bool QueueApc(LPWSAUSERAPC routine, object? context)
    {
        if (IsDead) return false;
        _apcs.Enqueue((routine, context));
        Waiter.Wake();
        return true;
    }

    /// <summary>Runs the APCs queued so far on this (the owning) thread. Returns how many ran.</summary>
    public int RunApcs()
    {
        Debug.Assert(Thread.CurrentThread == Owner);
        int ran = 0;
        int count = _apcs.Count;
        ApcDepth++;
        try
        {
            while (count-- > 0 && _apcs.TryDequeue(out var apc))
            {
                ran++;
                try { apc.Routine(apc.Context); }
                catch (Exception e) { Diagnostics.CallbackFailed("APC", e); }
            }
        }
        finally { ApcDepth--; }
        return ran;
    }

    /// <summary>Registers work to run when the thread exits (cancel the I/O it started). Dispose to unregister.</summary>
    public IDisposable RegisterRundown(Action rundown)
    {
        lock (_rundowns) _rundowns.Add(rundown);
        ThreadRegistry.Watch(this);
        return new Registration(this, rundown);
    }

    public bool HasRundowns { get { lock (_rundowns) return _rundowns.Count > 0; } }

    /// <summary>Runs (once) every registered rundown; called by the registry after the thread died.</summary>
    public void RunDown()
    {
        Action[] list;
        lock (_rundowns) { list = _rundowns.ToArray(); _rundowns.Clear(); }
        foreach (var r in list)
        {
            try { r(); }
            catch (Exception e) { Diagnostics.CallbackFailed("thread rundown", e); }
        }
    }

    private sealed class Registration(ThreadContext owner, Action rundown) : IDisposable
    {
        public void Dispose() { lock (owner._rundowns) owner._rundowns.Remove(rundown); }
    }
}
