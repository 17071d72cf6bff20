using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// The pending requests of one direction of one socket (its receives, or its sends), in posting order: what
/// System.Net.Sockets' SocketAsyncContext keeps per direction, with Winsock's rules. Used under the socket's lock
/// (the <c>gate</c> given here), except <see cref="Wait"/>, which a blocking call makes once it released the lock.
/// <list type="number">
/// <item>A new request is tried at once only when nothing is queued ahead of it (<see cref="TryFirst"/>): requests
/// complete in posting order.</item>
/// <item>One that would block is queued: overlapped, it pends (<see cref="Pend"/>: WSAOVERLAPPED started, hEvent reset
/// through the upcall, cancelled if its initiating thread exits; at most <see cref="MaxOutstanding"/>, else
/// WSAEWOULDBLOCK); blocking, it is queued (<see cref="Enqueue"/>) and its thread waits alertably (<see cref="Wait"/>),
/// taking it back when the wait ends first (timeout, WSAEINTR).</item>
/// <item>Readiness completes queued requests from the front, in posting order, until one would block (<see cref="Pump"/>).</item>
/// <item>closesocket completes every queued request (<see cref="AbortAll"/>): overlapped with WSA_OPERATION_ABORTED,
/// blocked with WSAEINTR; an ended session completes them with its error (<see cref="FailAll"/>).</item>
/// <item>When the initiating thread of a pending overlapped request exits, the request leaves the queue and completes
/// with WSA_OPERATION_ABORTED.</item>
/// </list>
/// The list is intrusive (the links are in <see cref="IoRequest"/>): queueing, taking back and cancelling are O(1) and
/// allocate nothing; the attempts are static delegates over a state argument, so no call makes a closure.
/// </summary>
internal sealed class OperationQueue(Lock gate, Completion completion)
{
    /// <summary>Most overlapped requests one direction may have outstanding; one more is WSAEWOULDBLOCK.</summary>
    public const int MaxOutstanding = 4096;

    private IoRequest? _head, _tail;
    /// <summary>The thread-exit rundown of this queue's requests: one delegate per queue, made on first use.</summary>
    private Action<object?>? _rundown;

    /// <summary>How many requests are queued.</summary>
    public int Count { get; private set; }

    /// <summary>Nothing is queued: a new request may be tried at once, and level-triggered readiness is the caller's to report.</summary>
    public bool IsEmpty => _head is null;

    /// <summary>
    /// A new request's immediate attempt, made only when no request is queued ahead of it:
    /// <paramref name="attempt"/>(<paramref name="state"/>, <paramref name="r"/>) is true when it finished (its result is
    /// in the request). False: queued ahead, or it would block.
    /// </summary>
    public bool TryFirst<TState>(TState state, IoRequest r, Func<TState, IoRequest, bool> attempt) =>
        _head is null && attempt(state, r);

    /// <summary>
    /// An overlapped request that did not finish at once: its WSAOVERLAPPED is started and its hEvent reset, it is queued
    /// last and cancelled if its initiating thread exits. SOCKET_ERROR with WSA_IO_PENDING; or, with
    /// <see cref="MaxOutstanding"/> already queued, SOCKET_ERROR with WSAEWOULDBLOCK and the request (untouched) recycled.
    /// </summary>
    public int Pend(IoRequest r, out int errno)
    {
        if (Count >= MaxOutstanding)
        {
            r.Recycle();
            errno = Ws2Spi.WSAEWOULDBLOCK;
            return Ws2Spi.SOCKET_ERROR;
        }
        completion.Pend(r);
        Append(r);
        BlockingRequest.WatchThread(r, _rundown ??= Rundown);
        errno = Ws2Spi.WSA_IO_PENDING;
        return Ws2Spi.SOCKET_ERROR;
    }

    /// <summary>A blocking request that did not finish at once: queued last; its thread then calls <see cref="Wait"/> without the lock.</summary>
    public void Enqueue(IoRequest r) => Append(r);

    /// <summary>
    /// The wait of a blocking request queued by <see cref="Enqueue"/>, made without the lock: alertable (queued completion
    /// routines run meanwhile) and bounded by <paramref name="timeoutMs"/> (0 or less: none). The request's error once it
    /// completed (0: its result is in the request); else the wait's error (WSAETIMEDOUT, WSAEINTR ...) after the request
    /// was taken back out of the queue. A request completed while the wait was ending counts as completed.
    /// </summary>
    public int Wait(IoRequest r, int timeoutMs)
    {
        int rc = BlockingRequest.Wait(r, timeoutMs, gate, this, static (q, r) => q.Remove(r));
        return rc != 0 ? rc : r.Error;
    }

    /// <summary>
    /// <see cref="Wait(IoRequest, int)"/> with the caller's own sleep, <paramref name="sleep"/>(<paramref name="state"/>,
    /// milliseconds or -1): a call that waits on its own socket and completes the queue itself when it wakes (see
    /// <see cref="Waits.BlockingWait{TState}(TState, Func{TState, bool}, int, Action{TState, int}?)"/>).
    /// </summary>
    public int Wait<TState>(IoRequest r, int timeoutMs, TState state, Action<TState, int> sleep)
    {
        int rc = Waits.BlockingWait((r, state, sleep), static w => w.r.Done, timeoutMs, static (w, ms) => w.sleep(w.state, ms));
        if (rc != 0)
        {
            lock (gate) rc = Remove(r) ? rc : 0;
        }
        return rc != 0 ? rc : r.Error;
    }

    /// <summary>
    /// Readiness changed: completes the queued requests in posting order while each finishes at its attempt
    /// (<paramref name="attempt"/>(<paramref name="state"/>, request) true, its result in the request); the first that
    /// would block stays first and ends the pump.
    /// </summary>
    public void Pump<TState>(TState state, Func<TState, IoRequest, bool> attempt)
    {
        while (_head is { } r)
        {
            if (!attempt(state, r)) return;
            Unlink(r);
            completion.Complete(r, r.Error, r.Bytes, r.OutFlags);
        }
    }

    /// <summary>
    /// One item arrived (a message) that some queued requests may not accept (<see cref="IoRequest.Filter"/>): it is
    /// offered to the queued requests in posting order; each that <paramref name="accepts"/> it is completed by
    /// <paramref name="take"/> (its result in the request; true when the item is used up, which ends the offer),
    /// the others are passed over and keep their place. True when the item was used up.
    /// </summary>
    public bool Offer<TState>(TState state, Func<TState, IoRequest, bool> accepts, Func<TState, IoRequest, bool> take)
    {
        for (var r = _head; r is not null;)
        {
            var next = r.QueueNext;
            if (accepts(state, r))
            {
                bool usedUp = take(state, r);
                Unlink(r);
                completion.Complete(r, r.Error, r.Bytes, r.OutFlags);
                if (usedUp) return true;
            }
            r = next;
        }
        return false;
    }

    /// <summary>
    /// The queued requests <paramref name="which"/> selects complete, in posting order, with <paramref name="error"/>
    /// (WSA_OPERATION_ABORTED: a blocked request gets WSAEINTR); the others stay queued.
    /// </summary>
    public void FailWhere<TState>(TState state, Func<TState, IoRequest, bool> which, int error)
    {
        for (var r = _head; r is not null;)
        {
            var next = r.QueueNext;
            if (which(state, r)) Fail(r, error);
            r = next;
        }
    }

    /// <summary>closesocket: every queued request completes, overlapped with WSA_OPERATION_ABORTED, blocked with WSAEINTR.</summary>
    public void AbortAll() => FailAll(Ws2Spi.WSA_OPERATION_ABORTED);

    /// <summary>
    /// Every queued request completes, in posting order, with <paramref name="error"/> (a session that ended, say
    /// WSAEDISCON). WSA_OPERATION_ABORTED is closesocket's: a blocked request gets WSAEINTR instead.
    /// </summary>
    public void FailAll(int error)
    {
        while (_head is { } r) Fail(r, error);
    }

    private void Fail(IoRequest r, int error)
    {
        Unlink(r);
        completion.Complete(r, error == Ws2Spi.WSA_OPERATION_ABORTED && !r.IsOverlapped ? Ws2Spi.WSAEINTR : error, 0, 0);
    }

    /// <summary>The initiating thread of a pending overlapped request exited (the registry's thread calls this): cancelled.</summary>
    private void Rundown(object? state)
    {
        var r = (IoRequest)state!;
        lock (gate)
        {
            if (Remove(r)) completion.Complete(r, Ws2Spi.WSA_OPERATION_ABORTED, 0, 0);
        }
    }

    /// <summary>Takes <paramref name="r"/> out if it is queued here (it was not completed yet).</summary>
    private bool Remove(IoRequest r)
    {
        if (r.Queue != this) return false;
        Unlink(r);
        return true;
    }

    private void Append(IoRequest r)
    {
        r.Queue = this;
        r.QueuePrev = _tail;
        r.QueueNext = null;
        if (_tail is null) _head = r;
        else _tail.QueueNext = r;
        _tail = r;
        Count++;
    }

    private void Unlink(IoRequest r)
    {
        if (r.QueuePrev is null) _head = r.QueueNext;
        else r.QueuePrev.QueueNext = r.QueueNext;
        if (r.QueueNext is null) _tail = r.QueuePrev;
        else r.QueueNext.QueuePrev = r.QueuePrev;
        r.Queue = null;
        r.QueuePrev = r.QueueNext = null;
        Count--;
    }
}
