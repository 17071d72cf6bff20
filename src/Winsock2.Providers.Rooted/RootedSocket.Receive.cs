using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>The receive plumbing every rooted socket kind shares: the seed's receive rules over an <see cref="Inbox"/>.</summary>
internal abstract partial class RootedSocket
{
    /// <summary>What a receive reports once nothing is left: 0 while the session lasts, else WSAEDISCON (graceful) or the error.</summary>
    protected virtual int EndedError => 0;

    /// <summary>How a member's session ended, as a receive reports it.</summary>
    protected static int EndedAs(bool ended, int error) => !ended ? 0 : error == 0 ? Ws2Spi.WSAEDISCON : error;

    /// <summary>The seed's receive rules over an inbox: immediate, pending (overlapped), would-block, or a blocking wait.</summary>
    protected int ReceiveFrom(Inbox inbox, LeafHandle? filter, WSABUF[] buffers, uint count, out uint received,
        ref uint flags, byte[]? from, ref int fromlen, WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine,
        WSATHREADID? threadId, out int errno)
    {
        received = 0;
        bool overlapped = ov is not null || routine is not null;
        int inFlags = (int)flags;
        IoRequest r;
        if (filter is null && ReceivesWithoutLock && !overlapped && inFlags == 0 && from is null && !Events.Active
            && CheckReceive(inFlags, overlapped) == 0)
        {
            // The fast path: a message is queued and no receive is posted before this one. No session lock, and
            // nothing to re-derive (no event selection; readiness only fell).
            r = IoRequest.Rent(buffers, count, inFlags, null, null, threadId);
            if (inbox.TryTakeFast(r))
            {
                received = (uint)r.Bytes;
                flags = (uint)r.OutFlags;
                r.Recycle();
                errno = 0;
                return 0;
            }
            r.Recycle();
        }
        lock (Gate)
        {
            Events.Reenable(Ws2Spi.FD_READ);
            errno = CheckReceive(inFlags, overlapped);
            // The real buffer is judged, not only what fromlen claims: nothing is taken from the inbox before this.
            if (errno == 0 && from is not null && Math.Min(fromlen, from.Length) < SockAddr.SizeOf(Family)) errno = Ws2Spi.WSAEFAULT;
            if (errno != 0) return Ws2Spi.SOCKET_ERROR;
            r = IoRequest.Rent(buffers, count, inFlags, ov, routine, threadId);
            r.From = from;
            bool peek = (inFlags & Ws2Spi.MSG_PEEK) != 0;
            if (inbox.TryTake(r, filter, peek, out var source))
            {
                // The root socket may have taken a leaf's last message: that leaf's socket re-derives its events (FD_CLOSE).
                if (source is not null && source != this) source.RefreshEvents();
                received = (uint)r.Bytes;
                flags = (uint)r.OutFlags;
                if (from is not null) fromlen = SockAddr.SizeOf(Family);
                if (overlapped)
                {
                    Completion.CompleteAtOnce(r, r.Bytes, r.OutFlags);
                }
                if (routine is null) r.Recycle(); // else the queued routine holds it until it has run
                RefreshEvents();
                return 0;
            }
            int ended = EndedError;
            if (ended != 0)
            {
                errno = ended;
                r.Recycle();
                RefreshEvents();
                return Ws2Spi.SOCKET_ERROR;
            }
            if (overlapped) return inbox.Pend(r, filter, out errno);
            if (NonBlocking)
            {
                r.Recycle();
                errno = Ws2Spi.WSAEWOULDBLOCK;
                return Ws2Spi.SOCKET_ERROR;
            }
            inbox.Enqueue(r, filter);
        }
        int rc = inbox.WaitBlocking(r, RecvTimeoutMs);
        if (!r.Done) { errno = rc; r.Recycle(); return Ws2Spi.SOCKET_ERROR; }
        lock (Gate) RefreshEvents();
        errno = r.Error;
        received = (uint)r.Bytes;
        flags = (uint)r.OutFlags;
        r.Recycle(); // a blocking receive's request is referred to by nothing once it is done
        if (errno != 0) return Ws2Spi.SOCKET_ERROR;
        if (from is not null) fromlen = SockAddr.SizeOf(Family);
        return 0;
    }

    /// <summary>
    /// True for a socket whose inbox holds only its own messages (a leaf): a plain receive may take a queued message
    /// without the session lock (<see cref="Inbox.TryTakeFast"/>).
    /// </summary>
    protected virtual bool ReceivesWithoutLock => false;

    /// <summary>The connections whose messages this socket's inbox receives (their reading follows SO_RCVBUF).</summary>
    protected virtual IEnumerable<Connection> ReceivingConnections => [];

    /// <summary>
    /// SO_RCVBUF (under the lock): the unread bytes each receiving connection may have queued before reading it stops.
    /// A root and its per-leaf sockets share the value. A raised limit lets stopped connections read again.
    /// </summary>
    protected int SetReceiveBuffer(int bytes)
    {
        if (bytes < 0) return Ws2Spi.WSAEINVAL;
        Options.ReceiveBuffer = bytes;
        foreach (var c in ReceivingConnections.ToArray()) c.ResumeReading();
        return 0;
    }

    private int CheckReceive(int inFlags, bool overlapped)
    {
        if (Closed) return Ws2Spi.WSAENOTSOCK;
        if (overlapped && !OverlappedCapable) return Ws2Spi.WSAEINVAL;
        if ((inFlags & ~(Ws2Spi.MSG_PEEK | Ws2Spi.MSG_PARTIAL)) != 0) return Ws2Spi.WSAEOPNOTSUPP; // no OOB, no MSG_WAITALL on messages
        if ((inFlags & Ws2Spi.MSG_PEEK) != 0 && overlapped) return Ws2Spi.WSAEOPNOTSUPP;
        // A listening c_root still receives; a listening c_leaf is not joined. An ended member still hands out
        // what it had received, then reports how the session ended (WSAEDISCON after a graceful close).
        if (!Joined && !Ended) return Ws2Spi.WSAENOTCONN;
        if (SenderOnly) return Ws2Spi.WSAEOPNOTSUPP; // a JL_SENDER_ONLY member receives nothing
        if (RecvShut) return Ws2Spi.WSAESHUTDOWN;
        return 0;
    }
}
