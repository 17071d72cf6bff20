using System.Buffers.Binary;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Registered I/O receives (on the drain's thread only). TCP: recv straight into the registered slice; a completion
/// carries what one read gave (RIO_MSG_WAITALL: the full slice, or less when the connection ends); after the peer's
/// FIN every receive completes with 0 bytes, after a reset with the connection's error. UDP: one datagram per request;
/// RIOReceiveEx gets the sender's address (Windows sockaddr layout) in its remote-address slice and the message flags
/// (MSG_TRUNC when the datagram did not fit, status WSAEMSGSIZE) in its flags slice.
/// </summary>
internal sealed partial class InetSocket
{
    private int _rioFilled;   // a RIO_MSG_WAITALL receive's bytes so far
    private bool _rioEof;     // the peer's FIN was read: every later receive completes with 0 bytes
    private int _rioRecvError; // the connection's sticky error for later receives

    /// <summary>Most receives one read fills (a readv over their slices).</summary>
    private const int RioBatch = 16;

    private void RioReceives(RioRequestQueue rq)
    {
        while (rq.TryPeekReceive(out var r))
        {
            if (IsStream && _rioFilled == 0 && _rioRecvError == 0 && !_rioEof && r.Length > 0 && (r.Flags & Ws2Spi.RIO_MSG_WAITALL) == 0)
            {
                if (!RioReceiveStreamBatch(rq, r)) return;
                continue;
            }
            if (IsDatagram && !r.ControlContext.IsPresent && rq.TryPeekReceive(1, out _))
            {
                if (!RioReceiveDatagramBatch(rq, r)) return;
                continue;
            }
            int status;
            uint bytes;
            bool done = IsStream ? RioReceiveStream(r, out status, out bytes) : RioReceiveDatagram(r, out status, out bytes);
            if (!done) return;
            rq.CompleteReceive(status, bytes);
        }
    }

    /// <summary>
    /// One read into the slices of the oldest receive and the ones after it that share its registered array (up to
    /// <see cref="RioBatch"/>, none waiting for all): each slice filled completes, the last one reached completes with
    /// what it got. False when the read would block.
    /// </summary>
    private unsafe bool RioReceiveStreamBatch(RioRequestQueue rq, in RioRequest head)
    {
        var iov = stackalloc Libc.iovec[RioBatch];
        int count = 0;
        nint n;
        int err;
        int edges = Volatile.Read(ref _rioReadable); // the readable edges the read below answers for
        fixed (byte* array = head.Array)
        {
            iov[count++] = new Libc.iovec { iov_base = array + head.Offset, iov_len = (nuint)head.Length };
            while (count < RioBatch && rq.TryPeekReceive(count, out var next) && next.Array == head.Array && next.Length > 0
                   && (next.Flags & Ws2Spi.RIO_MSG_WAITALL) == 0)
                iov[count++] = new Libc.iovec { iov_base = array + next.Offset, iov_len = (nuint)next.Length };
            do n = SocketCalls.RecvMsg(_handle, iov, count, null, 0, 0, out _, out _, out err);
            while (n < 0 && err == Errno.EINTR);
        }
        if (n < 0)
        {
            if (err == Errno.EAGAIN)
            {
                NotReadable(edges);
                return false;
            }
            int code = StreamReadCode(err);
            if (code is Ws2Spi.WSAECONNRESET or Ws2Spi.WSAECONNABORTED) _rioRecvError = code;
            rq.CompleteReceive(code, 0);
            return true;
        }
        if (n == 0)
        {
            _rioEof = true;
            rq.CompleteReceive(0, 0);
            return true;
        }
        for (int i = 0; i < count && n > 0; i++)
        {
            nint take = Math.Min((nint)iov[i].iov_len, n);
            rq.CompleteReceive(0, (uint)take);
            n -= take;
        }
        return true;
    }

    private unsafe bool RioReceiveStream(in RioRequest r, out int status, out uint bytes)
    {
        status = 0;
        bytes = 0;
        if (_rioRecvError != 0)
        {
            status = _rioRecvError;
            return true;
        }
        if (_rioEof || r.Length == 0) return true;
        bool waitAll = (r.Flags & Ws2Spi.RIO_MSG_WAITALL) != 0;
        while (true)
        {
            nint n;
            int err;
            int edges = Volatile.Read(ref _rioReadable); // the readable edges the read below answers for
            fixed (byte* p = &r.Array![r.Offset])
            {
                do n = SocketCalls.Recv(_handle, p + _rioFilled, (nuint)(r.Length - _rioFilled), 0, out err);
                while (n < 0 && err == Errno.EINTR);
            }
            if (n < 0)
            {
                if (err == Errno.EAGAIN)
                {
                    NotReadable(edges);
                    return false;
                }
                int code = StreamReadCode(err);
                bool broken = code is Ws2Spi.WSAECONNRESET or Ws2Spi.WSAECONNABORTED;
                if (_rioFilled > 0 && broken) bytes = (uint)_rioFilled; // the bytes already in the slice are delivered; the error comes next
                else status = code;
                if (broken) _rioRecvError = code; // the connection is gone: every later receive fails alike
                _rioFilled = 0;
                return true;
            }
            if (n == 0) _rioEof = true;
            _rioFilled += (int)n;
            if (waitAll && n > 0 && _rioFilled < r.Length) continue;
            bytes = (uint)_rioFilled;
            _rioFilled = 0;
            return true;
        }
    }

    /// <summary>
    /// One recvmmsg for the oldest receive and the ones after it whose data slices share its registered array (up to
    /// <see cref="RioBatch"/>): one datagram each, completed as <see cref="RioReceiveDatagram"/> completes one. False
    /// when nothing was waiting.
    /// </summary>
    private unsafe bool RioReceiveDatagramBatch(RioRequestQueue rq, in RioRequest head)
    {
        const int nameSize = 128;
        var messages = stackalloc Libc.mmsghdr[RioBatch];
        var iov = stackalloc Libc.iovec[RioBatch];
        byte* names = stackalloc byte[RioBatch * nameSize];
        byte* dummy = stackalloc byte[1];
        int count = 0, got, err;
        int edges = Volatile.Read(ref _rioReadable); // the readable edges the read below answers for
        fixed (byte* array = head.Array)
        {
            for (; count < RioBatch; count++)
            {
                RioRequest r;
                if (count == 0) r = head;
                else if (!rq.TryPeekReceive(count, out r) || r.Array != head.Array || r.ControlContext.IsPresent) break;
                iov[count] = new Libc.iovec { iov_base = r.Length == 0 ? dummy : array + r.Offset, iov_len = (nuint)r.Length };
                messages[count] = new Libc.mmsghdr
                {
                    msg_hdr = new Libc.msghdr { msg_name = names + count * nameSize, msg_namelen = nameSize, msg_iov = iov + count, msg_iovlen = 1 },
                };
            }
            do got = SocketCalls.RecvMmsg(_handle, messages, count, 0, out err);
            while (got < 0 && err == Errno.EINTR);
        }
        if (got < 0)
        {
            if (err == Errno.EAGAIN)
            {
                NotReadable(edges);
                return false;
            }
            rq.CompleteReceive(DatagramAware(err), 0);
            return true;
        }
        for (int i = 0; i < got; i++)
        {
            rq.TryPeekReceive(out var r);
            ref var m = ref messages[i];
            int status = RioDatagramArrived(r, (int)m.msg_len, m.msg_hdr.msg_flags, new ReadOnlySpan<byte>(names + i * nameSize, (int)m.msg_hdr.msg_namelen));
            rq.CompleteReceive(status, m.msg_len);
        }
        return true;
    }

    /// <summary>
    /// A datagram of <paramref name="n"/> bytes is in <paramref name="r"/>'s slice: its status, its address, control and
    /// flags slices written (the control slice gets the packet information among <paramref name="linuxControl"/>, and the
    /// flags MSG_CTRUNC when a record did not fit, MSG_MCAST / MSG_BCAST by the destination, as WSARecvMsg reports them).
    /// </summary>
    private int RioDatagramArrived(in RioRequest r, int n, int msgFlags, ReadOnlySpan<byte> linuxName, ReadOnlySpan<byte> linuxControl = default)
    {
        bool truncated = (msgFlags & Libc.MSG_TRUNC) != 0;
        uint flags = truncated ? (uint)Ws2Spi.MSG_TRUNC : 0;
        if (r.RemoteAddress.Array is not null) WriteWindowsAddress(linuxName, r.RemoteAddress.Span);
        if (r.LocalAddress.Array is not null) RioLocalAddress(r.LocalAddress.Span);
        if (r.ControlContext.Array is not null)
        {
            var slice = r.ControlContext.Span;
            RioControl.SetRecordBytes(slice, WritePacketInfo(linuxControl, msgFlags, RioControl.Records(slice), out flags));
        }
        if (r.FlagsSlice.Array is not null) BinaryPrimitives.WriteUInt32LittleEndian(r.FlagsSlice.Span, flags);
        return truncated && r.Length > 0 ? Ws2Spi.WSAEMSGSIZE : 0;
    }

    private unsafe bool RioReceiveDatagram(in RioRequest r, out int status, out uint bytes)
    {
        status = 0;
        bytes = 0;
        byte* name = stackalloc byte[128];
        byte* dummy = stackalloc byte[1];
        bool withControl = r.ControlContext.IsPresent;
        byte* control = stackalloc byte[withControl ? ControlCapacity : 1]; // a plain receive zeroes no control buffer
        nint n;
        int err, msgFlags, controlLength = 0;
        uint nameLength;
        int edges = Volatile.Read(ref _rioReadable); // the readable edges the read below answers for
        fixed (byte* array = r.Array)
        {
            var iov = new Libc.iovec { iov_base = r.Length == 0 ? dummy : array + r.Offset, iov_len = (nuint)r.Length };
            do n = withControl
                    ? SocketCalls.RecvMsgControl(_handle, &iov, 1, name, 128, control, ControlCapacity, 0, out nameLength, out msgFlags, out controlLength, out err)
                    : SocketCalls.RecvMsg(_handle, &iov, 1, name, 128, 0, out nameLength, out msgFlags, out err);
            while (n < 0 && err == Errno.EINTR);
        }
        if (n < 0)
        {
            if (err == Errno.EAGAIN)
            {
                NotReadable(edges);
                return false;
            }
            status = DatagramAware(err);
            return true;
        }
        bytes = (uint)n;
        status = RioDatagramArrived(r, (int)n, msgFlags, new ReadOnlySpan<byte>(name, (int)nameLength), new ReadOnlySpan<byte>(control, controlLength));
        return true;
    }

    private byte[]? _rioLocal; // the bound address (Windows layout), read once

    /// <summary>RIOReceiveEx's local-address slice: the socket's bound address (Windows layout), zero-filling the rest.</summary>
    private void RioLocalAddress(Span<byte> slice)
    {
        slice.Clear();
        if ((_rioLocal ??= LocalEndPoint is { } local ? SockAddr.From(local) : null) is { } bytes)
            bytes.AsSpan(0, Math.Min(bytes.Length, slice.Length)).CopyTo(slice);
    }

    /// <summary>A Linux sockaddr (family 10 for IPv6) into a Windows one (23), zero-filling the rest of the slice.</summary>
    private static void WriteWindowsAddress(ReadOnlySpan<byte> linux, Span<byte> slice)
    {
        slice.Clear();
        int n = Math.Min(linux.Length, slice.Length);
        linux[..n].CopyTo(slice);
        if (n >= 2 && BinaryPrimitives.ReadUInt16LittleEndian(slice) == 10) BinaryPrimitives.WriteUInt16LittleEndian(slice, (ushort)Ws2Spi.AF_INET6);
    }
}
