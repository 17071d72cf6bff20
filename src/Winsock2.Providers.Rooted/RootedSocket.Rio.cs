using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// Registered I/O on every rooted kind (<see cref="IRioSocket"/>). One completion is one message: a receive gets the
/// next message (or the next piece of one longer than its slice, with MSG_PARTIAL in RIOReceiveEx's flags); a send is
/// one message. The request queue is consumed under the session lock only (one thread at a time, as the core asks),
/// and results are published once per batch: per read on the receiving side, per commit on the sending side.
/// Messages that arrive while no receive is posted wait in the inbox (counted against SO_RCVBUF, reading paused as on
/// the plain path) and go to the next receives posted. Sends wait posted (outstanding) while there is no room, and
/// complete as room appears.
/// </summary>
internal abstract partial class RootedSocket : IRioSocket
{
    /// <summary>The socket's request queue once RIOCreateRequestQueue attached one (set under the lock).</summary>
    public RioRequestQueue? Rio { get; private set; }

    /// <summary>The inbox the socket's RIO receives draw from, and the filter (a per-leaf socket's own leaf), or null for none.</summary>
    protected virtual (Inbox Inbox, LeafHandle? Filter)? RioInbox => null;

    public int RioAttach(RioRequestQueue rq)
    {
        if ((Flags & Ws2Spi.WSA_FLAG_REGISTERED_IO) == 0) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (Closed || (Listening && this is not RootSocket) || Rio is not null) return Ws2Spi.WSAEINVAL; // a root sends while it listens
            Rio = rq;
            return 0;
        }
    }

    /// <summary>Receives were committed: the messages waiting go to them now, and a paused connection reads again.</summary>
    public void RioReceivesPosted()
    {
        Connection? resume;
        lock (Gate)
        {
            if (Rio is null || Closed) return;
            RioDeliverWaiting();
            resume = RioResumable();
        }
        resume?.ReadInline();
    }

    /// <summary>Sends were committed: each is framed and queued now while there is room (then they wait posted).</summary>
    public void RioSendsPosted()
    {
        bool appended;
        lock (Gate) appended = RioPumpSends();
        if (appended) RioCommitted();
    }

    /// <summary>
    /// After a commit appended sends, on the committing thread, without the lock: the default leaves the batch to the
    /// writer thread its queueing already told.
    /// </summary>
    protected virtual void RioCommitted() { }

    /// <summary>Nothing completed: the socket's connection is read on this thread, unless its reader is already at work.</summary>
    public void RioPoll()
    {
        if (Rio is not { PostedReceives: > 0 }) return;
        RioPollConnection()?.ReadInline();
    }

    /// <summary>RIONotify armed the receive queue's notification: input left for the application's thread is read now.</summary>
    public void RioNotifyArmed() => RioPollConnection()?.ReadDeferred();

    /// <summary>The connection <see cref="RioPoll"/> reads inline (a leaf's own), or null.</summary>
    protected virtual Connection? RioPollConnection() => null;

    /// <summary>The connection stopped reading for want of receives that may read again now (under the lock), or null.</summary>
    protected virtual Connection? RioResumable() => null;

    /// <summary>Under the lock, after messages were queued for this socket: they go to its posted RIO receives, published at once.</summary>
    public void RioDeliverWaiting()
    {
        if (Rio is not { } rq || Closed) return;
        RioTakeWaiting(rq);
        rq.Publish();
    }

    /// <summary>
    /// Under the lock: the messages waiting in the inbox go to the posted receives in order; once the session ended and
    /// none is left, every posted receive completes with how it ended (WSAEDISCON after a graceful end).
    /// </summary>
    protected void RioTakeWaiting(RioRequestQueue rq)
    {
        if (RioInbox is not { } box) return;
        box.Inbox.RioTake(rq, box.Filter, Family);
        if (EndedError is var ended && ended != 0 && !box.Inbox.HasMessage(box.Filter))
            rq.FailReceives(ended);
    }

    /// <summary>
    /// Under the lock: the posted sends are taken in order while each may go now — a closed, ended or shut-down
    /// socket fails them with its error; no room (or no tokens) leaves the rest posted until room appears — and the
    /// results are published as one batch. True when some were appended.
    /// </summary>
    protected bool RioPumpSends()
    {
        if (Rio is not { } rq || _rioPumping) return false;
        _rioPumping = true;
        try
        {
            bool appended = false;
            // the socket's state does not change under the lock: judged once for the batch, only the size per message
            int state = Closed ? Ws2Spi.WSAENOTSOCK
                : SendShut ? Ws2Spi.WSAESHUTDOWN
                : ReceiverOnly ? Ws2Spi.WSAEOPNOTSUPP
                : -1;
            int unjoined = Joined ? 0 : EndedError != 0 ? EndedError : Ws2Spi.WSAENOTCONN;
            while (rq.TryPeekSend(out var req))
            {
                int error = state >= 0 ? state : req.Length > RootedLimits.MaxMessage ? Ws2Spi.WSAEMSGSIZE : unjoined;
                if (error == 0)
                {
                    if (_shaper.DelayMs() > 0 || !RoomFor(req.Length)) { ArmForTokens(); break; }
                    AppendRio(req.Data);
                    _shaper.Consume(req.Length);
                    appended = true;
                }
                rq.CompleteSend(error, error == 0 ? (uint)req.Length : 0);
            }
            rq.Publish(); // nothing staged: returns at once
            return appended;
        }
        finally { _rioPumping = false; }
    }

    private bool _rioPumping;

    /// <summary>Appends one RIO send's message (under the lock, once <see cref="RoomFor"/> said yes): copied, so its slice is free at once.</summary>
    protected abstract void AppendRio(ReadOnlySpan<byte> message);

    /// <summary>After a batch of RIO sends was appended on a turn other than a commit (under the lock): the writer is told once.</summary>
    protected virtual void RioAppended() { }

    /// <summary>closesocket (under the lock): every outstanding request completes with WSA_OPERATION_ABORTED.</summary>
    protected void RioClose() => Rio?.Abort(Ws2Spi.WSA_OPERATION_ABORTED);
}
