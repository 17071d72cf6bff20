using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Registered I/O on a TCP or UDP socket (<see cref="IRioSocket"/>). The posted requests are consumed by whichever
/// thread gets the drain (<see cref="RioDrain"/>: one at a time, by an atomic flag, never a lock per request): the
/// application's thread when it posts or polls, the reactor's when the descriptor becomes readable or writable. A
/// receive fills its registered slice straight from the kernel; a request that finds no data (or no room) waits for
/// the next readiness edge. Each drain publishes its results as one batch. Data the application posted no receive for
/// stays in the kernel's socket buffer (its bound), none is read ahead.
/// </summary>
internal sealed partial class InetSocket : IRioSocket
{
    private RioRequestQueue? _rq;
    private int _rioBusy, _rioAgain;
    /// <summary>
    /// Nonzero while the kernel may have data (room): the reactor counts its readable (writable) edges here, and a
    /// receive (send) that would block clears it only if no edge came since it looked before its system call
    /// (<see cref="NotReadable"/>): an edge that arrives while a read meets EAGAIN is never erased.
    /// </summary>
    private int _rioReadable = 1, _rioWritable = 1;

    /// <summary>A receive met EAGAIN: the socket is not readable, unless an edge came after <paramref name="seen"/> was read.</summary>
    private void NotReadable(int seen)
    {
        RioReadWouldBlock?.Invoke();
        Interlocked.CompareExchange(ref _rioReadable, 0, seen);
    }

    /// <summary>
    /// Test seam: runs on the draining thread when a receive met EAGAIN, before the readable count is judged (the window
    /// in which a new edge may arrive). Null outside tests.
    /// </summary>
    internal Action? RioReadWouldBlock;

    /// <summary>The readable edge count (tests and diagnostics).</summary>
    internal int RioReadableEdges => Volatile.Read(ref _rioReadable);

    /// <summary>A send met EAGAIN: the socket is not writable, unless an edge came after <paramref name="seen"/> was read.</summary>
    private void NotWritable(int seen) => Interlocked.CompareExchange(ref _rioWritable, 0, seen);

    /// <summary>One more readiness edge (never back to 0 when the count wraps).</summary>
    private static void Edge(ref int count)
    {
        if (Interlocked.Increment(ref count) == 0) Interlocked.Increment(ref count);
    }

    public int RioAttach(RioRequestQueue rq)
    {
        if ((Flags & Ws2Spi.WSA_FLAG_REGISTERED_IO) == 0) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (_closed || _listening) return Ws2Spi.WSAEINVAL;
            if (_rq is not null) return Ws2Spi.WSAEINVAL;
            _rq = rq;
        }
        return 0;
    }

    /// <summary>Drains at once when the kernel may have data; else the reactor's next readable edge will.</summary>
    public void RioReceivesPosted()
    {
        if (Volatile.Read(ref _rioReadable) != 0) RioDrain();
    }

    /// <summary>Drains at once when the kernel may have room; else the reactor's next writable edge will.</summary>
    public void RioSendsPosted()
    {
        if (Volatile.Read(ref _rioWritable) != 0) RioDrain();
    }

    public void RioPoll()
    {
        if (_rq is { } rq && ((rq.PostedReceives > 0 && Volatile.Read(ref _rioReadable) != 0) || (rq.PostedSends > 0 && Volatile.Read(ref _rioWritable) != 0)))
            RioDrain();
    }

    /// <summary>The reactor saw readiness change (outside the socket's lock): note the edges and drain.</summary>
    private void RioOnReady(uint events)
    {
        if (_rq is null) return;
        if ((events & (Interop.Libc.EPOLLIN | Interop.Libc.EPOLLERR | Interop.Libc.EPOLLHUP | Interop.Libc.EPOLLRDHUP)) != 0)
            Edge(ref _rioReadable);
        if ((events & (Interop.Libc.EPOLLOUT | Interop.Libc.EPOLLERR | Interop.Libc.EPOLLHUP)) != 0) Edge(ref _rioWritable);
        RioDrain();
    }

    /// <summary>
    /// Consumes what can be done now, on this thread, unless another thread is at it — then that thread goes round once
    /// more (the request is never lost). A closed socket's drain aborts whatever is still outstanding. Both the drainer's
    /// clearing of the again flag and its release of the busy flag are full fences: a plain store could land after the
    /// looks that follow it (at the requests, at the again flag), so a request whose poster saw the drain busy could be
    /// missed by both.
    /// </summary>
    private void RioDrain()
    {
        if (_rq is not { } rq) return;
        Volatile.Write(ref _rioAgain, 1); // ordered before the busy flag's compare-exchange, a full fence
        while (Interlocked.CompareExchange(ref _rioBusy, 1, 0) == 0)
        {
            try
            {
                Interlocked.Exchange(ref _rioAgain, 0);
                if (_closed) rq.Abort(Ws2Spi.WSA_OPERATION_ABORTED);
                else
                {
                    RioReceives(rq);
                    RioSends(rq);
                    rq.Publish();
                }
            }
            finally
            {
                Interlocked.Exchange(ref _rioBusy, 0);
            }
            if (Volatile.Read(ref _rioAgain) == 0) return;
        }
    }

    /// <summary>closesocket's part: outstanding requests complete with WSA_OPERATION_ABORTED before it returns.</summary>
    private void RioClose()
    {
        if (_rq is not { } rq) return;
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _rioBusy, 1, 0) != 0) spin.SpinOnce(); // a drain in progress is short: it never blocks
        try { rq.Abort(Ws2Spi.WSA_OPERATION_ABORTED); }
        finally { Volatile.Write(ref _rioBusy, 0); }
    }
}
