using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// Received messages and posted receives of one endpoint (a leaf; or a root with its per-leaf sockets, which
/// see only their own leaf's messages). A message goes to the first matching receive in posting order; a
/// receive smaller than the message gets the first part with MSG_PARTIAL set, later receives the rest.
/// Guarded by the session lock.
/// </summary>
internal sealed class Inbox(Completion completion)
{
    private readonly LinkedList<Message> _messages = new();
    private readonly LinkedList<(IoRequest Request, LeafHandle? Filter)> _waiting = new();

    public int WaitingCount => _waiting.Count;

    /// <summary>True when a message (from <paramref name="source"/>, or any when null) is queued.</summary>
    public bool HasMessage(LeafHandle? source) =>
        source is null ? _messages.Count > 0 : _messages.Any(m => m.Source == source);

    /// <summary>Bytes of the first message (FIONREAD).</summary>
    public int FirstMessageBytes(LeafHandle? source) =>
        (source is null ? _messages.FirstOrDefault() : _messages.FirstOrDefault(m => m.Source == source))?.Remaining ?? 0;

    /// <summary>A message arrived: hand it to a waiting receive, or queue it.</summary>
    public void Deliver(Message m)
    {
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            var (r, filter) = node.Value;
            if (filter is null || filter == m.Source)
            {
                bool usedUp = Fill(r, m);
                _waiting.Remove(node);
                completion.Complete(r, 0, r.Bytes, r.OutFlags);
                if (usedUp) return;
            }
            node = next;
        }
        _messages.AddLast(m);
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
            if (Fill(r, m)) _messages.Remove(node);
            return true;
        }
        return false;
    }

    public void Wait(IoRequest r, LeafHandle? filter) => _waiting.AddLast((r, filter));

    public bool Remove(IoRequest r)
    {
        for (var node = _waiting.First; node is not null; node = node.Next)
            if (node.Value.Request == r) { _waiting.Remove(node); return true; }
        return false;
    }

    /// <summary>Completes the waiting receives (of one source's filter, or all) with an error.</summary>
    public void FailWaiting(int error, Func<LeafHandle?, bool> which)
    {
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            if (which(node.Value.Filter))
            {
                _waiting.Remove(node);
                var r = node.Value.Request;
                // A closed socket aborts overlapped receives; a blocked receive reports the interruption.
                completion.Complete(r, error == Ws2Spi.WSA_OPERATION_ABORTED && !r.IsOverlapped ? Ws2Spi.WSAEINTR : error, 0, 0);
            }
            node = next;
        }
    }

    /// <summary>Drops the queued messages of a source (its per-leaf socket was closed).</summary>
    public void DropFrom(LeafHandle source)
    {
        for (var node = _messages.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Source == source) _messages.Remove(node);
            node = next;
        }
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
