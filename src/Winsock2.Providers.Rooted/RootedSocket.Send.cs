using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The send plumbing every rooted socket kind shares: the checks, and the socket's send queue. A message leaves
/// (is appended to what its connection or connections write) once there is room and the shaper has tokens; until
/// then an overlapped send pends (WSA_IO_PENDING), a nonblocking one gets WSAEWOULDBLOCK (FD_WRITE later) and a
/// blocking one waits. Queued sends complete in posting order; a send is tried at once only when none is queued
/// ahead of it, so blocking and nonblocking sends never overtake pending overlapped ones.
/// </summary>
internal abstract partial class RootedSocket
{
    private OperationQueue? _sends;
    private bool _pumping;

    /// <summary>The sends waiting for room or tokens, in posting order (under the lock).</summary>
    private OperationQueue Sends => _sends ??= new OperationQueue(Gate, Completion);

    /// <summary>Sends waiting in the queue, blocking and overlapped (tests and diagnostics).</summary>
    public int QueuedSends
    {
        get { lock (Gate) return _sends?.Count ?? 0; }
    }

    /// <summary>True while sends wait or a send failed with WSAEWOULDBLOCK: the writer's progress must reach <see cref="RoomAvailable"/>.</summary>
    protected bool SendsWaiting => WriteBlocked || _sends is { IsEmpty: false } || Rio is { PostedSends: > 0 };

    /// <summary>Room for a message of <paramref name="length"/> bytes in what this socket's sends go to (under the lock).</summary>
    protected abstract bool RoomFor(int length);

    /// <summary>
    /// A message of <paramref name="length"/> bytes fits a queue holding <paramref name="backlog"/>: within
    /// MP_LEAF_QUEUE_LIMIT, or alone in an empty queue (a message larger than the limit is not refused forever).
    /// </summary>
    protected bool Fits(long backlog, long length) => backlog == 0 || backlog + length <= Options.LeafQueueLimit;

    /// <summary>Appends the message of the send request (under the lock, once <see cref="RoomFor"/> said yes).</summary>
    protected abstract void AppendMessage(IoRequest r);

    /// <summary>WSPSend on every rooted kind: the checks, then at once, pending, WSAEWOULDBLOCK or a blocking wait.</summary>
    protected int SendMessage(WSABUF[] buffers, uint count, out uint sent, uint flags, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno)
    {
        sent = 0;
        bool overlapped = ov is not null || routine is not null;
        IoRequest r;
        lock (Gate)
        {
            errno = StartSend(flags, overlapped, buffers, count);
            if (errno != 0) return Ws2Spi.SOCKET_ERROR;
            r = IoRequest.Rent(buffers, count, (int)flags, ov, routine, threadId);
            if (Sends.TryFirst(this, r, static (s, r) => s.TrySend(r)))
            {
                errno = r.Error;
                if (errno != 0)
                {
                    r.Recycle();
                    return Ws2Spi.SOCKET_ERROR;
                }
                sent = (uint)r.Bytes;
                if (overlapped) Completion.CompleteAtOnce(r, r.Bytes, 0);
                if (routine is null) r.Recycle(); // else the queued routine holds it until it has run
                return 0;
            }
            if (overlapped)
            {
                int rc = Sends.Pend(r, out errno); // at most OperationQueue.MaxOutstanding: then WSAEWOULDBLOCK
                ArmForTokens();
                return rc;
            }
            if (NonBlocking)
            {
                r.Recycle();
                WriteBlocked = true;
                ArmForTokens();
                errno = Ws2Spi.WSAEWOULDBLOCK;
                return Ws2Spi.SOCKET_ERROR;
            }
            Sends.Enqueue(r);
            ArmForTokens();
        }
        errno = Sends.Wait(r, SendTimeoutMs);
        if (errno == 0) sent = (uint)r.Bytes;
        r.Recycle();
        return errno == 0 ? 0 : Ws2Spi.SOCKET_ERROR;
    }

    /// <summary>
    /// The start of every send (under the lock): FD_WRITE is re-enabled (any send call does that, even one that fails),
    /// then the common checks: 0, or the error.
    /// </summary>
    protected int StartSend(uint flags, bool overlapped, WSABUF[] buffers, uint count)
    {
        Events.Reenable(Ws2Spi.FD_WRITE);
        if (Closed) return Ws2Spi.WSAENOTSOCK;
        if (overlapped && !OverlappedCapable) return Ws2Spi.WSAEINVAL;
        if ((flags & ~(uint)Ws2Spi.MSG_PARTIAL) != 0) return Ws2Spi.WSAEOPNOTSUPP;
        if (!Joined) return Ws2Spi.WSAENOTCONN;
        if (ReceiverOnly) return Ws2Spi.WSAEOPNOTSUPP; // a JL_RECEIVER_ONLY member cannot send
        if (SendShut) return Ws2Spi.WSAESHUTDOWN;
        long total = 0;
        for (int i = 0; i < count; i++) total += buffers[i].len;
        return total > RootedLimits.MaxMessage ? Ws2Spi.WSAEMSGSIZE : 0;
    }

    /// <summary>One attempt (under the lock): true when the request finished, appended (Bytes) or failed (Error).</summary>
    private bool TrySend(IoRequest r)
    {
        int error = Closed ? Ws2Spi.WSAENOTSOCK
            : SendShut ? Ws2Spi.WSAESHUTDOWN
            : Joined ? 0
            : EndedError != 0 ? EndedError : Ws2Spi.WSAENOTCONN;
        if (error != 0)
        {
            r.Error = error;
            return true;
        }
        if (_shaper.DelayMs() > 0 || !RoomFor(r.TotalLength)) return false;
        AppendMessage(r);
        _shaper.Consume(r.TotalLength);
        r.Bytes = r.TotalLength;
        return true;
    }

    /// <summary>
    /// Room, tokens or the socket's state changed (under the lock): the queued sends complete in posting order while
    /// each can (a session that ended or a shutdown fails them with its error), the first that cannot stays first.
    /// </summary>
    public void PumpSends()
    {
        if (RioPumpSends()) RioAppended(); // posted RIO sends are taken first (a socket that mixes both kinds of send has no order between them)
        if (_pumping || _sends is not { IsEmpty: false } q) return;
        _pumping = true;
        try { q.Pump(this, static (s, r) => s.TrySend(r)); }
        finally { _pumping = false; }
        ArmForTokens();
    }

    /// <summary>
    /// Writable for select (under the lock): a send now would be taken at once. When only tokens are missing, the
    /// shaper's timer wakes the waiting threads once they are back.
    /// </summary>
    private bool WritableNow()
    {
        if (!Joined || ReceiverOnly || SendShut || _sends is { IsEmpty: false } || !HasRoomNow(1)) return false;
        int ms = _shaper.DelayMs();
        if (ms == 0) return true;
        _shaper.ArmOnce(ms, () =>
        {
            lock (Gate) if (!Closed) RoomAvailable();
        });
        return false;
    }

    /// <summary>closesocket: the queued sends complete, overlapped ones with WSA_OPERATION_ABORTED, blocked ones with WSAEINTR.</summary>
    protected void AbortSends() => _sends?.AbortAll();
}
