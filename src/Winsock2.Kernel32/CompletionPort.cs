namespace Winsock2.Kernel;

/// <summary>
/// An I/O completion port: a FIFO queue of completion packets, the threads waiting for them (released last-in,
/// first-out, as Windows does, so a hot thread keeps running), and the concurrency value. A thread that a wait on the
/// port released counts as running until it waits on the port again (or on another port, or exits); while as many
/// threads as the concurrency value run, queued packets wait. Packets are kept until taken or the port is closed.
/// Port handles have their own value range, so no port value is ever a socket's or an event's.
/// </summary>
internal sealed class CompletionPort
{
    private static readonly HandleTable<CompletionPort> Table = new(first: 0x1_0000_0000);

    private readonly object _gate = new();
    private readonly Queue<OVERLAPPED_ENTRY> _packets = new();
    /// <summary>The waiting threads, newest first.</summary>
    private readonly LinkedList<PortThread> _waiters = new();
    private readonly int _concurrency;
    private int _running;
    private bool _closed;

    private CompletionPort(int concurrency) => _concurrency = concurrency;

    /// <summary>The concurrency value (0 given: the processor count).</summary>
    public int Concurrency => _concurrency;

    /// <summary>How many threads wait on the port now (for tests that must know a wait has begun).</summary>
    public int WaitingCount { get { lock (_gate) return _waiters.Count; } }

    /// <summary>How many threads the port counts as running now.</summary>
    public int RunningCount { get { lock (_gate) return _running; } }

    /// <summary>A new port; <paramref name="concurrency"/> 0 means the processor count.</summary>
    public static HANDLE Create(uint concurrency)
    {
        int n = concurrency == 0 ? Environment.ProcessorCount : (int)Math.Min(concurrency, int.MaxValue);
        return new HANDLE((nint)Table.Add(new CompletionPort(n)));
    }

    /// <summary>The port behind a handle (false for null, a closed port, or any other handle).</summary>
    public static bool TryGet(HANDLE? handle, out CompletionPort port)
    {
        port = null!;
        return handle is not null && handle.Value > 0 && Table.TryGet((nuint)handle.Value, out port);
    }

    /// <summary>Closes a port's handle: waiting threads return ERROR_ABANDONED_WAIT_0, queued packets are dropped.</summary>
    public static bool Close(HANDLE? handle)
    {
        if (handle is null || handle.Value <= 0 || !Table.TryRemove((nuint)handle.Value, out var port)) return false;
        List<PortThread> waiting;
        lock (port._gate)
        {
            port._closed = true;
            port._packets.Clear();
            waiting = [.. port._waiters];
            port._waiters.Clear();
        }
        foreach (var t in waiting) t.Context.Waiter.Wake();
        return true;
    }

    /// <summary>Queues a packet (false once the port is closed) and releases a waiting thread if one may run.</summary>
    public bool Post(nuint key, WSAOVERLAPPED? overlapped, uint bytes, int status)
    {
        PortThread? wake;
        lock (_gate)
        {
            if (_closed) return false;
            _packets.Enqueue(new OVERLAPPED_ENTRY
            {
                lpCompletionKey = key, lpOverlapped = overlapped, Internal = (nuint)status, dwNumberOfBytesTransferred = bytes,
            });
            wake = NextToRelease();
        }
        wake?.Context.Waiter.Wake();
        return true;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> packets into <paramref name="into"/>, waiting at most
    /// <paramref name="timeoutMs"/> (INFINITE: no limit). Returns how many (at least 1), or 0 with the reason in
    /// <paramref name="error"/>: WAIT_TIMEOUT, WAIT_IO_COMPLETION (alertable, APCs ran), ERROR_ABANDONED_WAIT_0 (the
    /// port was closed).
    /// </summary>
    public int Dequeue(OVERLAPPED_ENTRY[] into, int max, uint timeoutMs, bool alertable, out int error)
    {
        var me = PortThread.Current;
        var ctx = me.Context;
        // Waiting on another port ends this thread's run there.
        if (me.Running is { } other && other != this) me.LeaveRunning();
        long deadline = timeoutMs == Ws2Spi.INFINITE ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        Monitor.Enter(_gate);
        try
        {
            if (me.Running == this) // back from its run: not counted while it waits here
            {
                me.Running = null;
                _running--;
            }
            while (true)
            {
                if (_closed) { error = Ws2Spi.ERROR_ABANDONED_WAIT_0; return 0; }
                if (_packets.Count > 0 && _running < _concurrency)
                {
                    int n = 0;
                    while (n < max && _packets.TryDequeue(out var p)) into[n++] = p;
                    _running++;
                    me.StartRunning(this);
                    var next = NextToRelease(); // more packets, and room for another thread
                    if (next is not null)
                    {
                        Monitor.Exit(_gate);
                        try { next.Context.Waiter.Wake(); }
                        finally { Monitor.Enter(_gate); }
                    }
                    error = 0;
                    return n;
                }
                if (alertable && ctx.HasApcs)
                {
                    Monitor.Exit(_gate);
                    int ran;
                    try { ran = ctx.RunApcs(); }
                    finally { Monitor.Enter(_gate); }
                    if (ran > 0) { error = (int)Ws2Spi.WAIT_IO_COMPLETION; return 0; }
                    continue;
                }
                int left = deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
                if (left == 0) { error = (int)Ws2Spi.WAIT_TIMEOUT; return 0; }
                _waiters.AddFirst(me.Node);
                Monitor.Exit(_gate);
                try { ctx.Waiter.Sleep(left); }
                finally
                {
                    Monitor.Enter(_gate);
                    if (me.Node.List is not null) _waiters.Remove(me.Node);
                }
            }
        }
        finally { Monitor.Exit(_gate); }
    }

    /// <summary>A running thread left (it waits on another port, or it exited): another may run.</summary>
    public void Left()
    {
        PortThread? wake;
        lock (_gate)
        {
            _running--;
            wake = NextToRelease();
        }
        wake?.Context.Waiter.Wake();
    }

    /// <summary>The newest waiter, taken off the list, when a packet is queued and another thread may run (under the lock).</summary>
    private PortThread? NextToRelease()
    {
        if (_packets.Count == 0 || _running >= _concurrency || _waiters.First is not { } first) return null;
        _waiters.RemoveFirst();
        return first.Value;
    }
}

/// <summary>
/// A thread's part in completion ports: the port it runs for (released by a wait and not back yet) and its place in a
/// port's waiter list. When the thread exits while it runs for a port, the port is told, so another thread may run.
/// </summary>
internal sealed class PortThread
{
    [ThreadStatic] private static PortThread? t_current;

    private PortThread(ThreadContext context)
    {
        Context = context;
        Node = new LinkedListNode<PortThread>(this);
    }

    public static PortThread Current => t_current ??= new PortThread(ThreadContext.Current);

    public ThreadContext Context { get; }

    /// <summary>This thread's node in a port's waiter list (in at most one list at a time).</summary>
    public LinkedListNode<PortThread> Node { get; }

    /// <summary>The port this thread runs for (changed by this thread, or by the rundown once it died).</summary>
    public volatile CompletionPort? Running;

    private IDisposable? _rundown;

    /// <summary>Counts this thread as running for <paramref name="port"/> (under the port's lock).</summary>
    public void StartRunning(CompletionPort port)
    {
        Running = port;
        _rundown ??= Context.RegisterRundown(static t => ((PortThread)t!).LeaveRunning(), this);
    }

    /// <summary>Ends the run (the thread waits elsewhere, or exited).</summary>
    public void LeaveRunning()
    {
        var port = Interlocked.Exchange(ref Running, null);
        port?.Left();
    }
}
