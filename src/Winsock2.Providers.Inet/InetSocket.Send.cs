using System.Net;
using System.Runtime.InteropServices;
using Winsock2.Interop;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Inet;

internal sealed partial class InetSocket
{
    /// <summary>WSPSend / WSPSendTo: a blocking stream send sends everything; a nonblocking one what fits.</summary>
    public int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, byte[]? to, int tolen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        Send(buffers, count, out sent, flags, to, tolen, ov, routine, threadId, null, out errno);

    /// <summary>A send, carrying a WSASendMsg's <paramref name="message"/> with control data (null for the others).</summary>
    private int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, byte[]? to, int tolen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, WSAMSG? message, out int errno)
    {
        sent = 0;
        // Without an overlapped structure the call is not overlapped and a completion routine is ignored, as Windows
        // does (ReactOS's WSARecv apitest; the seed: both are ignored for a non-overlapped call).
        if (ov is null) routine = null;
        bool overlapped = ov is not null;
        IoRequest r;
        lock (Gate)
        {
            Events.Reenable(Ws2Spi.FD_WRITE);
            errno = CheckSend((int)flags, overlapped, buffers, count, to, tolen, out var target);
            if (errno != 0) return Ws2Spi.SOCKET_ERROR;
            r = new IoRequest(buffers, count, (int)flags, ov, routine, threadId) { To = target is null ? null : LinuxSockAddr.ToLinux(target), Message = message };
            if (_sendQ.TryFirst(this, r, static (s, r) => s.TrySend(r)))
            {
                if (r.Error != 0)
                {
                    errno = r.Error;
                    return Ws2Spi.SOCKET_ERROR;
                }
                if (IsDatagram && !_bound) _bound = true; // sendto binds implicitly
                sent = (uint)r.Bytes;
                if (overlapped) _completion.CompleteAtOnce(r, r.Bytes, 0);
                return 0;
            }
            if (overlapped) return _sendQ.Pend(r, out errno); // at most MaxOutstanding: then WSAEWOULDBLOCK
            if (NonBlocking)
            {
                _writeBlocked = true;
                if (r.Progress > 0)
                {
                    sent = (uint)r.Progress;
                    return 0;
                }
                errno = Ws2Spi.WSAEWOULDBLOCK;
                return Ws2Spi.SOCKET_ERROR;
            }
            _sendQ.Enqueue(r);
        }
        errno = _sendQ.Wait(r, SendTimeoutMs);
        if (errno != 0) return Ws2Spi.SOCKET_ERROR;
        sent = (uint)r.Bytes;
        return 0;
    }

    private int CheckSend(int flags, bool overlapped, WSABUF[] buffers, uint count, byte[]? to, int tolen, out IPEndPoint? target)
    {
        target = null;
        if (_closed) return Ws2Spi.WSAENOTSOCK;
        if (overlapped && !OverlappedCapable) return Ws2Spi.WSAEINVAL;
        if ((flags & Ws2Spi.MSG_PARTIAL) != 0 && !Info.Has(Ws2Spi.XP1_PARTIAL_MESSAGE)) return Ws2Spi.WSAEOPNOTSUPP;
        if ((flags & ~(Ws2Spi.MSG_OOB | Ws2Spi.MSG_DONTROUTE | Ws2Spi.MSG_PARTIAL)) != 0) return Ws2Spi.WSAEOPNOTSUPP;
        if ((flags & Ws2Spi.MSG_OOB) != 0 && IsDatagram) return Ws2Spi.WSAEOPNOTSUPP;
        if (_sendShut) return Ws2Spi.WSAESHUTDOWN;
        if (IsStream)
        {
            if (_listening || _conn != ConnState.Connected) return Ws2Spi.WSAENOTCONN;
            if (_sockError != 0) return _sockError;
            return 0;
        }
        if (_mc is { Restricted: true })
        {
            int mrc = MulticastSendTarget(out target); // joined: sends go to the group, as connect would restrict them
            if (mrc != 0) return mrc;
        }
        else if (to is not null && !IsConnected)
        {
            int rc = SockAddr.TryParse(to, tolen, out target);
            if (rc != 0) return rc;
            if (SockAddr.Family(to) != Family) return Ws2Spi.WSAEAFNOSUPPORT;
            if (target!.Port == 0 || target.Address.Equals(IPAddress.Any) || target.Address.Equals(IPAddress.IPv6Any))
                return Ws2Spi.WSAEADDRNOTAVAIL;
        }
        else if (!IsConnected) return to is null ? Ws2Spi.WSAENOTCONN : Ws2Spi.WSAEDESTADDRREQ;
        long total = 0;
        for (int i = 0; i < count; i++) total += buffers[i].len;
        if (total > Info.dwMessageSize) return Ws2Spi.WSAEMSGSIZE;
        return 0;
    }

    /// <summary>Completes queued sends in posting order while there is room.</summary>
    private void PumpSends() => _sendQ.Pump(this, static (s, r) => s.TrySend(r));

    /// <summary>One nonblocking attempt; true when the request finished (all sent, or failed).</summary>
    private unsafe bool TrySend(IoRequest r)
    {
        if (_sockError != 0 && IsStream) { r.Error = _sockError; return true; }
        if (_sendShut) { r.Error = Ws2Spi.WSAESHUTDOWN; return true; }
        if (r.SegmentCount == 1)
        {
            // The common case: one buffer, pinned for the call with fixed (no GC handle).
            var seg = r.Segment(0);
            int offset = Math.Min(r.Progress, seg.Count);
            fixed (byte* p = seg.Array)
            {
                var iov = new Libc.iovec { iov_base = p + seg.Offset + offset, iov_len = (nuint)(seg.Count - offset) };
                return SendFrom(r, &iov, offset == seg.Count ? 0 : 1);
            }
        }
        int segCount = r.SegmentCount;
        var handles = segCount <= 8 ? stackalloc GCHandle[segCount] : new GCHandle[segCount];
        Libc.iovec* iovs = stackalloc Libc.iovec[Math.Max(1, segCount)];
        using var pinned = new PinnedIovecs(handles, iovs);
        int skip = r.Progress;
        for (int i = 0; i < segCount; i++)
        {
            var seg = r.Segment(i);
            int offset = Math.Min(skip, seg.Count);
            skip -= offset;
            if (offset == seg.Count) continue;
            pinned.Add(seg, offset);
        }
        return SendFrom(r, pinned.Iov, pinned.Count);
    }

    /// <summary>The sendmsg of <see cref="TrySend"/> from pinned buffers, and what its result means.</summary>
    private unsafe bool SendFrom(IoRequest r, Libc.iovec* iov, int iovCount)
    {
        fixed (byte* to = r.To)
        {
            int linuxFlags = Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL | ((r.Flags & Ws2Spi.MSG_OOB) != 0 ? Libc.MSG_OOB : 0);
            while (true)
            {
                nint n = SendCall(r, iov, iovCount, to, linuxFlags, out int err); // with a WSASendMsg's control data (InetSocket.Messages.cs)
                if (n >= 0)
                {
                    r.Progress += (int)n;
                    if (IsDatagram) NoteOwnSend(r, (int)n);
                    if (IsDatagram || r.Progress >= r.TotalLength)
                    {
                        r.Bytes = IsDatagram ? (int)n : r.Progress;
                        return true;
                    }
                    return false; // partial: the rest waits for room
                }
                if (err == Errno.EINTR) continue;
                if (err == Errno.EAGAIN) return false;
                int code = DatagramAware(err);
                if (IsStream && code == Ws2Spi.WSAESHUTDOWN && !_sendShut) code = Ws2Spi.WSAECONNRESET; // EPIPE: the peer is gone
                if (IsStream && (code == Ws2Spi.WSAECONNRESET || code == Ws2Spi.WSAECONNABORTED)) _sockError = code;
                r.Error = code;
                return true;
            }
        }
    }
}
