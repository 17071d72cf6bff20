using System.Collections.Concurrent;
using System.Diagnostics;

namespace Winsock2.Kernel;

/// <summary>
/// Per-thread state the API layer owns: the last error, the APC queue, the alertable-wait machinery,
/// the blocking-call marker, and I/O rundown when the thread exits. Plays the part kernel32 plays on Windows.
/// </summary>
internal sealed class ThreadContext
{
    [ThreadStatic] private static ThreadContext? _current;

    private readonly ConcurrentQueue<(LPWSAUSERAPC Routine, object? Context)> _apcs = new();
    private readonly object _rundownGate = new();
    private Registration? _rundowns; // head of a doubly linked list: O(1) unregistration
    private readonly WSATHREADID _callerId, _snapshotId;

    public ThreadContext(Thread owner)
    {
        Owner = owner;
        Handle = ThreadRegistry.Register(this);
        _callerId = new WSATHREADID { ThreadHandle = Handle };
        _snapshotId = new WSATHREADID { ThreadHandle = Handle };
    }

    /// <summary>The calling thread's context (created on first use).</summary>
    public static ThreadContext Current => _current ??= new ThreadContext(Thread.CurrentThread);

    /// <summary>The calling thread's context if it has one (none is created).</summary>
    public static ThreadContext? CurrentIfAny => _current;

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
        if (_current != this && IsDead) return false; // the calling thread is alive
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

    /// <summary>
    /// The WSATHREADID the API layer passes to providers for overlapped calls on this thread (as ws2_32 keeps one per
    /// thread): refilled on every call, so a provider that changed it cannot disturb the next call.
    /// </summary>
    public WSATHREADID CallerThreadId()
    {
        _callerId.ThreadHandle = Handle;
        _callerId.Reserved = 0;
        return _callerId;
    }

    /// <summary>
    /// A copy of <paramref name="id"/> a request can keep: this thread's own unshared instance when it names this
    /// thread (the usual case, no allocation), else a new copy.
    /// </summary>
    public WSATHREADID Snapshot(WSATHREADID id) =>
        id.ThreadHandle == Handle && id.Reserved == 0 && _snapshotId.ThreadHandle == Handle && _snapshotId.Reserved == 0
            ? _snapshotId
            : new WSATHREADID { ThreadHandle = id.ThreadHandle, Reserved = id.Reserved };

    /// <summary>Registers work to run when the thread exits (cancel the I/O it started). Dispose to unregister.</summary>
    public IDisposable RegisterRundown(Action rundown) => RegisterRundown(static a => ((Action)a!)(), rundown);

    /// <summary>
    /// <see cref="RegisterRundown(Action)"/> without a closure: runs <paramref name="rundown"/>(<paramref name="state"/>).
    /// Registering and disposing are O(1); the registry is told only when the thread's list becomes non-empty.
    /// </summary>
    public IDisposable RegisterRundown(Action<object?> rundown, object? state)
    {
        var reg = new Registration(this, rundown, state);
        bool first;
        lock (_rundownGate)
        {
            first = _rundowns is null;
            reg.Next = _rundowns;
            if (_rundowns is not null) _rundowns.Prev = reg;
            _rundowns = reg;
            reg.Linked = true;
        }
        if (first) ThreadRegistry.Watch(this);
        return reg;
    }

    public bool HasRundowns { get { lock (_rundownGate) return _rundowns is not null; } }

    /// <summary>Runs (once) every registered rundown; called by the registry after the thread died.</summary>
    public void RunDown()
    {
        var list = new List<Registration>();
        lock (_rundownGate)
        {
            for (var r = _rundowns; r is not null; r = r.Next) list.Add(r);
            foreach (var r in list) { r.Linked = false; r.Prev = r.Next = null; }
            _rundowns = null;
        }
        list.Reverse(); // registration order
        foreach (var r in list)
        {
            try { r.Rundown(r.State); }
            catch (Exception e) { Diagnostics.InternalFailure("thread rundown", e); }
        }
    }

    private sealed class Registration(ThreadContext owner, Action<object?> rundown, object? state) : IDisposable
    {
        public readonly Action<object?> Rundown = rundown;
        public readonly object? State = state;
        public Registration? Prev, Next;
        public bool Linked;

        public void Dispose()
        {
            lock (owner._rundownGate)
            {
                if (!Linked) return;
                Linked = false;
                if (Prev is not null) Prev.Next = Next;
                else owner._rundowns = Next;
                if (Next is not null) Next.Prev = Prev;
                Prev = Next = null;
            }
        }
    }
}
