using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// Received messages and posted receives of one endpoint (a leaf; or a root with its per-leaf sockets, which
/// see only their own leaf's messages). A message goes to the first matching receive in posting order; a
/// receive smaller than the message gets the first part with MSG_PARTIAL set, later receives the rest.
/// Every queued message counts against its connection's receive buffer (<see cref="Connection.Unread"/>) until a
/// receive takes its last byte or it is dropped; the connection stops reading while that is full and resumes when
/// the application drains it.
/// <para>
/// The messages are a queue of <see cref="InboxEntry"/> values (no object per message) whose payloads were copied
/// into shared chunks (<see cref="InboxStore"/>); the queue has its own short lock, so a receive that finds a
/// message (<see cref="TryTakeFast"/>) never takes the session lock. The reader delivers under the session lock,
/// a read's messages at a time. The posted receives are the core's <see cref="OperationQueue"/> (guarded by the
/// session lock: posting order, pend with thread-exit rundown, blocking waits with take-back); a per-leaf socket's
/// receive carries its leaf as the request's <see cref="IoRequest.Filter"/>, so a message is offered only to the
/// receives that may take it. While a receive is posted the fast path stands aside, so posting order holds.
/// </para>
/// </summary>
internal sealed class Inbox(Completion completion, Lock gate)
{
    private readonly InboxQueue _messages = new();
    private readonly InboxStore _store = new();
    private readonly OperationQueue _waiting = new(gate, completion);
    /// <summary>The message being offered to posted receives (one at a time, under the session lock).</summary>
    private readonly OfferState _offer = new();
    /// <summary>Posted receives (a copy of the queue's count the fast path may read without the session lock).</summary>
    private volatile int _posted;

    /// <summary>True when a message (from <paramref name="source"/>, or any when null) is queued.</summary>
    public bool HasMessage(LeafHandle? source) => _messages.Has(source);

    /// <summary>Bytes of the first message (FIONREAD).</summary>
    public int FirstMessageBytes(LeafHandle? source) => _messages.FirstRemaining(source);

    /// <summary>
    /// A message arrived (under the session lock): its payload is copied into the inbox (or kept, when
    /// <paramref name="owned"/> is the payload's own array), handed to the waiting receives that may take it, in
    /// posting order, and what is left is queued, counted against its connection.
    /// </summary>
    public void Deliver(LeafHandle? source, Connection? origin, ReadOnlySpan<byte> payload, byte[]? owned, bool endOfMessage)
    {
        var e = owned is not null ? new InboxEntry(owned, 0, owned.Length, source, origin, endOfMessage)
            : _store.Copy(payload, source, origin, endOfMessage);
        if (_posted != 0)
        {
            var offer = _offer;
            offer.Entry = e;
            bool usedUp = _waiting.Offer(offer, static (o, r) => r.Filter is null || r.Filter == o.Entry.Source,
                static (o, r) => Fill(r, ref o.Entry, peek: (r.Flags & Ws2Spi.MSG_PEEK) != 0));
            _posted = _waiting.Count;
            e = offer.Entry;
            offer.Entry = default;
            if (usedUp) return;
        }
        if (origin is not null) Interlocked.Add(ref origin.Unread, e.Cost);
        _messages.Add(e);
    }

    /// <summary>
    /// The fast path of a receive on a socket without filter (a leaf): takes the first message without the session
    /// lock, unless receives are posted (they come first). True = filled (Bytes/OutFlags set).
    /// </summary>
    public bool TryTakeFast(IoRequest r)
    {
        if (_posted != 0) return false;
        bool usedUp;
        InboxEntry e;
        lock (_messages)
        {
            if (_posted != 0 || !_messages.TryPeekFirst(null, out int index)) return false;
            ref var first = ref _messages.At(index);
            usedUp = Fill(r, ref first, peek: false);
            if (!usedUp) return true;
            e = _messages.RemoveAt(index);
        }
        e.Origin?.Consumed(e.Cost);
        return true;
    }

    /// <summary>
    /// Registered I/O (under the session lock): the queued messages (from <paramref name="filter"/>, or any) go to the
    /// posted RIO receives in order, one message or piece per receive. Returns how many receives completed.
    /// </summary>
    public int RioTake(RioRequestQueue rq, LeafHandle? filter, int family)
    {
        int completed = 0;
        lock (_messages) // once for the batch; the session lock is held too, so Consumed may resume reading from here
        {
            while (_messages.TryPeekFirst(filter, out int index) && rq.TryPeekReceive(out var req))
            {
                ref var first = ref _messages.At(index);
                var piece = first.Data.AsSpan(first.Start + first.Taken, first.Remaining);
                first.Taken += RioReceiveFill.Complete(rq, req, piece, first.EndOfMessage, first.Source?.RemoteEndPoint, family);
                completed++;
                if (first.Remaining > 0) continue;
                var e = _messages.RemoveAt(index);
                e.Origin?.Consumed(e.Cost);
            }
        }
        return completed;
    }

    /// <summary>Tries to satisfy a receive from queued messages (under the session lock). True = filled (Bytes/OutFlags set).</summary>
    public bool TryTake(IoRequest r, LeafHandle? filter, bool peek, out LeafHandle? source)
    {
        source = null;
        InboxEntry e;
        lock (_messages)
        {
            if (!_messages.TryPeekFirst(filter, out int index)) return false;
            ref var first = ref _messages.At(index);
            source = first.Source;
            if (!Fill(r, ref first, peek)) return true;
            e = _messages.RemoveAt(index);
        }
        e.Origin?.Consumed(e.Cost);
        return true;
    }

    /// <summary>An overlapped receive waits (WSA_IO_PENDING), or WSAEWOULDBLOCK with 4096 already waiting.</summary>
    public int Pend(IoRequest r, LeafHandle? filter, out int errno)
    {
        r.Filter = filter;
        int rc = _waiting.Pend(r, out errno);
        _posted = _waiting.Count;
        return rc;
    }

    /// <summary>A blocking receive waits; its thread then calls <see cref="WaitBlocking"/> without the lock.</summary>
    public void Enqueue(IoRequest r, LeafHandle? filter)
    {
        r.Filter = filter;
        _waiting.Enqueue(r);
        _posted = _waiting.Count;
    }

    /// <summary>The blocking receive's wait (see <see cref="OperationQueue.Wait"/>).</summary>
    public int WaitBlocking(IoRequest r, int timeoutMs)
    {
        int rc = _waiting.Wait(r, timeoutMs);
        lock (gate) _posted = _waiting.Count; // a timed-out wait took its request back
        return rc;
    }

    /// <summary>Completes the waiting receives (of one source's filter, or all) with an error (closesocket's: WSAEINTR for a blocked one).</summary>
    public void FailWaiting(int error, Func<LeafHandle?, bool> which)
    {
        _waiting.FailWhere(which, static (which, r) => which((LeafHandle?)r.Filter), error);
        _posted = _waiting.Count;
    }

    /// <summary>Drops the queued messages of a source (its per-leaf socket was closed).</summary>
    public void DropFrom(LeafHandle source)
    {
        List<InboxEntry> dropped;
        lock (_messages) dropped = _messages.RemoveFrom(source);
        foreach (var e in dropped) e.Origin?.Consumed(e.Cost);
    }

    /// <summary>
    /// Copies the message (from what was taken of it) into the request's buffers in order. True when the message is
    /// used up. MSG_PARTIAL on output: the request got only part of the message, or a piece the sender marked partial.
    /// A peek copies without taking.
    /// </summary>
    private static bool Fill(IoRequest r, ref InboxEntry m, bool peek)
    {
        int copied = 0, remaining = m.Remaining;
        for (int i = 0; i < r.SegmentCount && copied < remaining; i++)
        {
            var seg = r.Segment(i);
            int n = Math.Min(seg.Count, remaining - copied);
            if (n <= 0) continue;
            m.Data.AsSpan(m.Start + m.Taken + copied, n).CopyTo(seg.AsSpan());
            copied += n;
        }
        bool usedUp = copied == remaining;
        r.Bytes = copied;
        r.OutFlags = usedUp && m.EndOfMessage ? 0 : Ws2Spi.MSG_PARTIAL;
        if (r.From is not null && m.Source?.RemoteEndPoint is { } ep) SockAddr.From(ep).AsSpan().CopyTo(r.From);
        if (peek) return false; // a peek takes nothing: the message stays for the next receive
        m.Taken += copied;
        return usedUp;
    }

    /// <summary>The message being offered to the posted receives (their fills advance it).</summary>
    private sealed class OfferState
    {
        public InboxEntry Entry;
    }
}
