using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// Received messages and posted receives of one endpoint (a leaf; or a root with its per-leaf sockets, which
/// see only their own leaf's messages). A message goes to the first matching receive in posting order; a
/// receive smaller than the message gets the first part with MSG_PARTIAL set, later receives the rest.
/// Every queued message counts against its connection's receive buffer (<see cref="Connection.Unread"/>) until a
/// receive takes its last byte or it is dropped; the connection stops reading while that is full and resumes when
/// the application drains it. Guarded by the session lock. The posted receives are the core's <see cref="OperationQueue"/> (posting order, pend with
/// thread-exit rundown, blocking waits with take-back); a per-leaf socket's receive carries its leaf as the request's
/// <see cref="IoRequest.Filter"/>, so a message is offered only to the receives that may take it.
/// </summary>
internal sealed class Inbox(Completion completion, object gate)
{
    private readonly LinkedList<Message> _messages = new();
    private readonly OperationQueue _waiting = new(gate, completion);

    /// <summary>True when a message (from <paramref name="source"/>, or any when null) is queued.</summary>
    public bool HasMessage(LeafHandle? source) =>
        source is null ? _messages.Count > 0 : _messages.Any(m => m.Source == source);

    /// <summary>Bytes of the first message (FIONREAD).</summary>
    public int FirstMessageBytes(LeafHandle? source) =>
        (source is null ? _messages.FirstOrDefault() : _messages.FirstOrDefault(m => m.Source == source))?.Remaining ?? 0;

    /// <summary>A message arrived: hand it to the waiting receives that may take it, in posting order, or queue it.</summary>
    public void Deliver(Message m)
    {
        if (_waiting.Offer(m, static (m, r) => r.Filter is null || r.Filter == m.Source, static (m, r) => Fill(r, m))) return;
        _messages.AddLast(m);
        if (m.Origin is { } c) c.Unread += m.Cost;
    }

    /// <summary>Tries to satisfy a receive from queued messages. True = filled (Bytes/OutFlags set).</summary>
    public bool TryTake(IoRequest r, LeafHandle? filter, bool peek, out LeafHandle? source)
    {
        source = null;
        for (var node = _messages.First; node is not null; node = node.Next)
        {
            var m = node.Value;
            if (filter is not null && m.Source != filter) continue;
            source = m.Source;
            if (peek)
            {
                int saved = m.Offset;
                Fill(r, m);
                m.Offset = saved;
                return true;
            }
            if (Fill(r, m)) Remove(node);
            return true;
        }
        return false;
    }

    /// <summary>An overlapped receive waits (WSA_IO_PENDING), or WSAEWOULDBLOCK with 4096 already waiting.</summary>
    public int Pend(IoRequest r, LeafHandle? filter, out int errno)
    {
        r.Filter = filter;
        return _waiting.Pend(r, out errno);
    }

    /// <summary>A blocking receive waits; its thread then calls <see cref="WaitBlocking"/> without the lock.</summary>
    public void Enqueue(IoRequest r, LeafHandle? filter)
    {
        r.Filter = filter;
        _waiting.Enqueue(r);
    }

    /// <summary>The blocking receive's wait (see <see cref="OperationQueue.Wait"/>).</summary>
    public int WaitBlocking(IoRequest r, int timeoutMs) => _waiting.Wait(r, timeoutMs);

    /// <summary>Completes the waiting receives (of one source's filter, or all) with an error (closesocket's: WSAEINTR for a blocked one).</summary>
    public void FailWaiting(int error, Func<LeafHandle?, bool> which) =>
        _waiting.FailWhere(which, static (which, r) => which((LeafHandle?)r.Filter), error);

    /// <summary>Drops the queued messages of a source (its per-leaf socket was closed).</summary>
    public void DropFrom(LeafHandle source)
    {
        for (var node = _messages.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Source == source) Remove(node);
            node = next;
        }
    }

    /// <summary>The message leaves the queue: its connection has that much room again.</summary>
    private void Remove(LinkedListNode<Message> node)
    {
        _messages.Remove(node);
        node.Value.Origin?.Consumed(node.Value.Cost);
    }

    /// <summary>
    /// Copies the message (from its offset) into the request's buffers in order. True when the message is used up.
    /// MSG_PARTIAL on output: the request got only part of the message, or a piece the sender marked partial.
    /// </summary>
    private static bool Fill(IoRequest r, Message m)
    {
        int copied = 0;
        foreach (var seg in r.Segments)
        {
            int n = Math.Min(seg.Count, m.Remaining - copied);
            if (n <= 0) break;
            m.Data.AsSpan(m.Offset + copied, n).CopyTo(seg.AsSpan());
            copied += n;
        }
        m.Offset += copied;
        bool usedUp = m.Remaining == 0;
        r.Bytes = copied;
        r.OutFlags = usedUp && m.EndOfMessage ? 0 : Ws2Spi.MSG_PARTIAL;
        if (r.From is not null && m.Source?.RemoteEndPoint is { } ep) SockAddr.From(ep).AsSpan().CopyTo(r.From);
        return usedUp;
    }
}
