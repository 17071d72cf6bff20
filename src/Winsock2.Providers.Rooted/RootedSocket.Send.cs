using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>The send plumbing every rooted socket kind shares: the checks, and appending once there is room (and tokens).</summary>
internal abstract partial class RootedSocket
{
    /// <summary>A message to the one peer of <paramref name="conn"/> (a leaf's sends; a root's side chat with one leaf).</summary>
    protected int SendOnConnection(Func<Connection?> conn, long streamEnd, WSABUF[] buffers, uint count, out uint sent, uint flags,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno)
    {
        sent = 0;
        bool overlapped = ov is not null || routine is not null;
        int length;
        lock (Gate) errno = StartSend(flags, overlapped, buffers, count, out length);
        if (errno != 0) return Ws2Spi.SOCKET_ERROR;
        var type = (flags & Ws2Spi.MSG_PARTIAL) != 0 ? FrameType.DataMore : FrameType.Data;
        return SendWhenRoom(
            len => conn() is { } c && c.Backlog(streamEnd) + len <= Options.LeafQueueLimit,
            len => conn()!.Enqueue(DataFrame.Make(type, buffers, count, len)),
            length, overlapped, ov, routine, threadId, out sent, out errno);
    }

    /// <summary>
    /// The start of every send (under the lock): FD_WRITE is re-enabled (any send call does that, even one that fails),
    /// then the common checks: 0 with the message length, or the error.
    /// </summary>
    protected int StartSend(uint flags, bool overlapped, WSABUF[] buffers, uint count, out int length)
    {
        Events.Reenable(Ws2Spi.FD_WRITE);
        length = 0;
        if (Closed) return Ws2Spi.WSAENOTSOCK;
        if (overlapped && !OverlappedCapable) return Ws2Spi.WSAEINVAL;
        if ((flags & ~(uint)Ws2Spi.MSG_PARTIAL) != 0) return Ws2Spi.WSAEOPNOTSUPP;
        if (!Joined) return Ws2Spi.WSAENOTCONN;
        if (ReceiverOnly) return Ws2Spi.WSAEOPNOTSUPP; // a JL_RECEIVER_ONLY member cannot send
        if (SendShut) return Ws2Spi.WSAESHUTDOWN;
        long total = 0;
        for (int i = 0; i < count; i++) total += buffers[i].len;
        if (total > RootedLimits.MaxMessage) return Ws2Spi.WSAEMSGSIZE;
        length = (int)total;
        return 0;
    }

    /// <summary>
    /// Appends the message (under the lock) once <paramref name="roomFor"/> says there is room. A blocking socket waits
    /// alertably for room or tokens; a nonblocking one gets WSAEWOULDBLOCK and FD_WRITE once room returns.
    /// Overlapped sends behave as blocking ones on the calling thread, then complete at once.
    /// </summary>
    protected int SendWhenRoom(Func<int, bool> roomFor, Action<int> append, int length, bool overlapped, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out uint sent, out int errno)
    {
        sent = 0;
        long deadline = SendTimeoutMs > 0 ? Environment.TickCount64 + SendTimeoutMs : long.MaxValue;
        while (true)
        {
            int wait;
            lock (Gate)
            {
                errno = Closed ? Ws2Spi.WSAENOTSOCK : SendShut ? Ws2Spi.WSAESHUTDOWN : !Joined ? Ws2Spi.WSAENOTCONN : 0;
                if (errno != 0) return Ws2Spi.SOCKET_ERROR;
                int shapeDelay = _shaper.DelayMs();
                if (shapeDelay == 0 && roomFor(length))
                {
                    append(length);
                    _shaper.Consume(length);
                    sent = (uint)length;
                    if (overlapped)
                    {
                        var r = new IoRequest([], 0, 0, ov, routine, threadId);
                        Completion.CompleteAtOnce(r, length, 0);
                    }
                    return 0;
                }
                if (NonBlocking && !overlapped)
                {
                    WriteBlocked = true;
                    if (shapeDelay > 0) ArmWriteTimer(shapeDelay);
                    errno = Ws2Spi.WSAEWOULDBLOCK;
                    return Ws2Spi.SOCKET_ERROR;
                }
                wait = shapeDelay > 0 ? shapeDelay : 50;
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0) { errno = Ws2Spi.WSAETIMEDOUT; return Ws2Spi.SOCKET_ERROR; }
            // Wait until room (or tokens) is back or the socket ends; a wake-up re-checks at once.
            int rc = WaitFor(() =>
            {
                lock (Gate)
                    return Closed || SendShut || !Joined
                           || (_shaper.DelayMs() == 0 && roomFor(length));
            }, (int)Math.Min(wait, left));
            if (rc != 0 && rc != Ws2Spi.WSAETIMEDOUT) { errno = rc; return Ws2Spi.SOCKET_ERROR; }
        }
    }
}
