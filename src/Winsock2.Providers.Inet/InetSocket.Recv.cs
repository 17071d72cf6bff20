using System.Runtime.InteropServices;
using Winsock2.Interop;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Inet;

internal sealed partial class InetSocket
{
    /// <summary>WSPRecv / WSPRecvFrom (the seed): validation, immediate attempt, then queue or wait.</summary>
    public int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        Receive(buffers, count, out received, ref flags, from, ref fromlen, ov, routine, threadId, null, out errno);

    /// <summary>A receive, carrying a WSARecvMsg's <paramref name="message"/> (null for the others).</summary>
    private int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, WSAMSG? message, out int errno)
    {
        received = 0;
        int inFlags = (int)flags;
        // Without an overlapped structure the call is not overlapped and a completion routine is ignored, as Windows
        // does (ReactOS's WSARecv apitest; the seed: both are ignored for a non-overlapped call).
        if (ov is null) routine = null;
        bool overlapped = ov is not null;
        // The plain blocking recv on a stream: straight into the caller's buffer, the lock not held across the copy.
        if (!overlapped && inFlags == 0 && count == 1 && from is null && message is null
            && TryReceiveDirect(buffers[0], out received, out int direct, out errno))
            return direct;
        IoRequest r;
        bool own;
        lock (Gate)
        {
            // Any receive call re-enables FD_READ and FD_OOB, even one that fails (SPEC §5).
            Events.Reenable(Ws2Spi.FD_READ | Ws2Spi.FD_OOB);
            errno = CheckReceive(inFlags, overlapped);
            // The real buffer is judged, not only what fromlen claims: nothing is consumed before this.
            if (errno == 0 && from is not null && Math.Min(fromlen, from.Length) < SockAddr.SizeOf(Family)) errno = Ws2Spi.WSAEFAULT;
            if (errno != 0)
            {
                RefreshEvents();
                return Ws2Spi.SOCKET_ERROR;
            }
            r = IoRequest.Rent(buffers, count, inFlags, ov, routine, threadId);
            r.From = from;
            r.Message = message; // a WSARecvMsg's (InetSocket.Messages.cs)
            if (IsStream && _recvQ.IsEmpty) NoteImmediateReceive((uint)r.TotalLength); // at the urgent mark it makes the read keep the byte
            if (_recvQ.TryFirst(this, r, static (s, r) => s.TryReceive(r)))
            {
                RefreshEvents();
                received = (uint)r.Bytes;
                flags = (uint)r.OutFlags;
                if (from is not null) fromlen = SockAddr.SizeOf(Family);
                if (r.Error != 0)
                {
                    // Failed at once: no completion indication will come (the seed's rule).
                    errno = r.Error;
                    r.Recycle();
                    return Ws2Spi.SOCKET_ERROR;
                }
                if (overlapped) _completion.CompleteAtOnce(r, r.Bytes, r.OutFlags);
                if (routine is null) r.Recycle(); // else the queued routine holds it until it has run
                return 0;
            }
            if (overlapped)
            {
                WatchInput(); // the reactor completes it (InetSocket.QuietInput.cs)
                return _recvQ.Pend(r, out errno); // at most MaxOutstanding: then WSAEWOULDBLOCK
            }
            if (NonBlocking)
            {
                r.Recycle();
                RefreshEvents();
                errno = Ws2Spi.WSAEWOULDBLOCK;
                return Ws2Spi.SOCKET_ERROR;
            }
            // On a quiet stream the call waits on its own socket (InetSocket.QuietInput.cs); else the reactor serves it.
            own = _inputQuiet;
            if (!own) WatchInput();
            _recvQ.Enqueue(r);
        }
        errno = own ? WaitOnOwnSocket(r) : _recvQ.Wait(r, RecvTimeoutMs);
        if (Events.Active) lock (Gate) RefreshEvents(); // a selection made meanwhile recorded the state itself
        if (errno != 0) return Ws2Spi.SOCKET_ERROR;
        received = (uint)r.Bytes;
        flags = (uint)r.OutFlags;
        if (from is not null) fromlen = SockAddr.SizeOf(Family);
        return 0;
    }

    /// <summary>The seed's preconditions for a receive, in the order Windows checks them.</summary>
    private int CheckReceive(int inFlags, bool overlapped)
    {
        if (_closed) return Ws2Spi.WSAENOTSOCK;
        if (overlapped && !OverlappedCapable) return Ws2Spi.WSAEINVAL;
        const int known = Ws2Spi.MSG_OOB | Ws2Spi.MSG_PEEK | Ws2Spi.MSG_WAITALL | Ws2Spi.MSG_PARTIAL;
        if ((inFlags & ~known) != 0) return Ws2Spi.WSAEOPNOTSUPP;
        if ((inFlags & Ws2Spi.MSG_OOB) != 0 && IsDatagram) return Ws2Spi.WSAEOPNOTSUPP;
        if ((inFlags & Ws2Spi.MSG_PARTIAL) != 0 && !Info.Has(Ws2Spi.XP1_PARTIAL_MESSAGE) && IsDatagram) return Ws2Spi.WSAEOPNOTSUPP;
        if ((inFlags & Ws2Spi.MSG_PEEK) != 0 && overlapped) return Ws2Spi.WSAEOPNOTSUPP;
        if ((inFlags & Ws2Spi.MSG_WAITALL) != 0
            && (IsDatagram || NonBlocking || overlapped || (inFlags & (Ws2Spi.MSG_OOB | Ws2Spi.MSG_PEEK | Ws2Spi.MSG_PARTIAL)) != 0))
            return Ws2Spi.WSAEOPNOTSUPP;
        if (_listening) return Ws2Spi.WSAENOTCONN;
        if (IsStream)
        {
            if (!_bound && _conn != ConnState.Connected) return Ws2Spi.WSAEINVAL;
            if (_conn != ConnState.Connected) return Ws2Spi.WSAENOTCONN;
        }
        else if (!_bound) return Ws2Spi.WSAEINVAL;
        if (MulticastSendOnly) return Ws2Spi.WSAEOPNOTSUPP;
        if (_recvShut) return Ws2Spi.WSAESHUTDOWN;
        if ((inFlags & Ws2Spi.MSG_OOB) != 0 && OobInline) return Ws2Spi.WSAEINVAL;
        return 0;
    }

    /// <summary>Completes queued receives in posting order while data is there.</summary>
    private void PumpReceives() => _recvQ.Pump(this, static (s, r) => s.TryReceive(r));

    /// <summary>
    /// One nonblocking attempt. False = nothing there yet. True = finished: Bytes/OutFlags/Error set
    /// (stream: 0 bytes is a graceful close; datagram larger than the buffers: WSAEMSGSIZE, excess lost).
    /// </summary>
    private unsafe bool TryReceive(IoRequest r)
    {
        if (_sockError != 0) { r.Error = _sockError; return true; }
        if (_recvShut) { r.Error = Ws2Spi.WSAESHUTDOWN; return true; }
        bool oob = (r.Flags & Ws2Spi.MSG_OOB) != 0;
        if (IsStream && r.TotalLength == 0) { r.Bytes = 0; return true; }
        if (IsStream && !OobInline)
        {
            KeepUrgentByte(always: oob); // else Linux drops it once this read passes the mark (InetSocket.Oob.cs)
            if (oob) return TakeUrgentByte(r);
        }
        if (IsStream && _eof && !oob) { r.Bytes = 0; return true; }

        int linuxFlags = Libc.MSG_DONTWAIT;
        if ((r.Flags & Ws2Spi.MSG_PEEK) != 0) linuxFlags |= Libc.MSG_PEEK;
        if (oob) linuxFlags |= Libc.MSG_OOB;

        if (r.SegmentCount == 1)
        {
            // The common case: one buffer, pinned for the call with fixed (no GC handle).
            var seg = r.Segment(0);
            int offset = Math.Min(r.Progress, seg.Count);
            fixed (byte* p = seg.Array)
            {
                if (IsStream && offset < seg.Count) return ReceiveStream(r, p + seg.Offset + offset, (nuint)(seg.Count - offset), linuxFlags);
                var iov = new Libc.iovec { iov_base = p + seg.Offset + offset, iov_len = (nuint)(seg.Count - offset) };
                return ReceiveInto(r, &iov, r.Progress > 0 && offset == seg.Count ? 0 : 1, linuxFlags);
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
            int offset = 0;
            if (skip > 0)
            {
                int take = Math.Min(skip, seg.Count);
                skip -= take;
                offset = take;
                if (offset == seg.Count) continue;
            }
            pinned.Add(seg, offset);
        }
        return ReceiveInto(r, pinned.Iov, pinned.Count, linuxFlags);
    }

    /// <summary>
    /// A stream read into one pinned buffer: plain recv(2), which needs neither a msghdr nor the kernel's iovec
    /// import. Means the same as <see cref="ReceiveInto"/> for a stream.
    /// </summary>
    private unsafe bool ReceiveStream(IoRequest r, byte* buffer, nuint length, int linuxFlags)
    {
        nint n;
        int err;
        do n = SocketCalls.Recv(_handle, buffer, length, linuxFlags, out err);
        while (n < 0 && err == Errno.EINTR);
        if (n < 0) return StreamFailed(r, err, (linuxFlags & Libc.MSG_OOB) != 0);
        return StreamReceived(r, n, length, (linuxFlags & Libc.MSG_OOB) != 0);
    }

    /// <summary>A stream read failed with <paramref name="err"/>: false while there is just nothing yet.</summary>
    private bool StreamFailed(IoRequest r, int err, bool oob)
    {
        if (err == Errno.EAGAIN)
        {
            _checkMark = true; // the next data may start at an urgent mark
            return false;
        }
        if (oob && err == 22) return false; // EINVAL: no urgent data yet
        r.Error = StreamError(err);
        return true;
    }

    /// <summary>A stream read's failure <paramref name="err"/> as Winsock reports it; a reset or abort stays the socket's error.</summary>
    private int StreamError(int err)
    {
        int code = StreamReadCode(err);
        if (code == Ws2Spi.WSAECONNRESET || code == Ws2Spi.WSAECONNABORTED) _sockError = code;
        return code;
    }

    /// <summary>A stream read's failure <paramref name="err"/> as Winsock reports it (keepalive giving up is WSAECONNABORTED).</summary>
    private int StreamReadCode(int err)
    {
        int code = DatagramAware(err);
        return code == Ws2Spi.WSAETIMEDOUT ? Ws2Spi.WSAECONNABORTED : code;
    }

    /// <summary>A stream read returned <paramref name="n"/> of <paramref name="wanted"/> bytes.</summary>
    private bool StreamReceived(IoRequest r, nint n, nuint wanted, bool oob)
    {
        if ((nuint)n < wanted) _checkMark = true; // a short read may have stopped at an urgent mark
        if (n == 0 && !oob)
        {
            _eof = true;
            r.Bytes = r.Progress;
            return true;
        }
        r.Progress += (int)n;
        if ((r.Flags & Ws2Spi.MSG_WAITALL) != 0 && r.Progress < r.TotalLength) return false;
        r.Bytes = r.Progress;
        r.OutFlags = 0;
        return true;
    }

    /// <summary>The recvmsg of <see cref="TryReceive"/> into pinned buffers, and what its result means.</summary>
    private unsafe bool ReceiveInto(IoRequest r, Libc.iovec* iov, int iovCount, int linuxFlags)
    {
        bool oob = (linuxFlags & Libc.MSG_OOB) != 0;
        nuint wanted = 0;
        for (int i = 0; i < iovCount; i++) wanted += iov[i].iov_len;
        // A stream has no source address to report: no name buffer for the kernel to fill.
        byte* name = stackalloc byte[IsDatagram ? 128 : 1];
    again:
        nint n;
        int err;
        uint nameLength;
        int msgFlags;
        do n = ReceiveCall(r, iov, iovCount, name, linuxFlags, out nameLength, out msgFlags, out err); // with a WSARecvMsg's control data
        while (n < 0 && err == Errno.EINTR);

        if (IsStream) return n < 0 ? StreamFailed(r, err, oob) : StreamReceived(r, n, wanted, oob);
        if (n < 0)
        {
            if (err == Errno.EAGAIN) return false;
            r.Error = DatagramAware(err);
            return true;
        }
        if (MulticastDrop(r, name, (int)nameLength, (int)n, (msgFlags & Libc.MSG_TRUNC) != 0, linuxFlags))
            goto again; // the socket's own multicast send with loopback off
        // Datagram: one message per receive; a larger one is cut and the excess is lost.
        r.Bytes = (int)n;
        if ((msgFlags & Libc.MSG_TRUNC) != 0) r.Error = Ws2Spi.WSAEMSGSIZE;
        if (r.From is not null)
        {
            var ep = LinuxSockAddr.FromLinux(new ReadOnlySpan<byte>(name, (int)nameLength));
            if (ep is not null) SockAddr.From(ep).AsSpan().CopyTo(r.From);
        }
        return true;
    }
}
