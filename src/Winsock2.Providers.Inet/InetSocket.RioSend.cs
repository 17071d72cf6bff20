using System.Buffers.Binary;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Registered I/O sends (on the drain's thread only): straight from the registered slice. TCP: a send completes once
/// all of its slice is written (a short write waits for room); UDP: one datagram per request, to RIOSendEx's
/// remote-address slice (Windows sockaddr layout) when given, else to the connected peer, with the packet information
/// records of its control-context slice (RIO_CMSG_BUFFER: IP_PKTINFO / IPV6_PKTINFO, as WSASendMsg takes them; another
/// record completes that send with WSAEINVAL).
/// </summary>
internal sealed partial class InetSocket
{
    private int _rioSent; // a TCP send's bytes so far

    private void RioSends(RioRequestQueue rq)
    {
        while (rq.TryPeekSend(out var r))
        {
            if (IsStream && _rioSent == 0 && r.Length > 0 && rq.TryPeekSend(1, out _))
            {
                if (!RioSendStreamBatch(rq, r)) return;
                continue;
            }
            if (IsDatagram && !r.ControlContext.IsPresent && rq.TryPeekSend(1, out _))
            {
                if (!RioSendDatagramBatch(rq, r)) return;
                continue;
            }
            if (!RioSendOne(r, out int status, out uint bytes)) return;
            rq.CompleteSend(status, bytes);
        }
    }

    /// <summary>
    /// One write of the slices of the oldest send and the ones after it that share its registered array (up to
    /// <see cref="RioBatch"/>): each slice written whole completes; a short write leaves the rest of the first
    /// incomplete one for the next attempt. False when the write would block.
    /// </summary>
    private unsafe bool RioSendStreamBatch(RioRequestQueue rq, in RioRequest head)
    {
        var iov = stackalloc Libc.iovec[RioBatch];
        int count = 0;
        nint n;
        int err;
        int edges = Volatile.Read(ref _rioWritable); // the writable edges the write below answers for
        fixed (byte* array = head.Array)
        {
            iov[count++] = new Libc.iovec { iov_base = array + head.Offset, iov_len = (nuint)head.Length };
            while (count < RioBatch && rq.TryPeekSend(count, out var next) && next.Array == head.Array && next.Length > 0)
                iov[count++] = new Libc.iovec { iov_base = array + next.Offset, iov_len = (nuint)next.Length };
            do n = SocketCalls.SendMsg(_handle, iov, count, null, 0, Libc.MSG_NOSIGNAL, out err);
            while (n < 0 && err == Errno.EINTR);
        }
        if (n < 0)
        {
            if (err == Errno.EAGAIN)
            {
                NotWritable(edges);
                return false;
            }
            rq.CompleteSend(DatagramAware(err), 0);
            return true;
        }
        for (int i = 0; i < count; i++)
        {
            nint len = (nint)iov[i].iov_len;
            if (n < len)
            {
                _rioSent = (int)n; // the rest of this one goes next
                break;
            }
            rq.CompleteSend(0, (uint)len);
            n -= len;
        }
        return true;
    }

    /// <summary>
    /// One sendmmsg for the oldest send and the ones after it whose data slices share its registered array (up to
    /// <see cref="RioBatch"/>), each one datagram to its remote-address slice or the connected peer. A send whose
    /// address is no IPv4 or IPv6 sockaddr ends the batch (it fails on its own). False when the first would block.
    /// </summary>
    private unsafe bool RioSendDatagramBatch(RioRequestQueue rq, in RioRequest head)
    {
        var messages = stackalloc Libc.mmsghdr[RioBatch];
        var iov = stackalloc Libc.iovec[RioBatch];
        byte* names = stackalloc byte[RioBatch * SockAddr.SizeIn6];
        byte* dummy = stackalloc byte[1];
        int count = 0, sent, err;
        int edges = Volatile.Read(ref _rioWritable); // the writable edges the write below answers for
        fixed (byte* array = head.Array)
        {
            for (; count < RioBatch; count++)
            {
                RioRequest r;
                if (count == 0) r = head;
                else if (!rq.TryPeekSend(count, out r) || r.Array != head.Array || r.ControlContext.IsPresent) break;
                byte* name = names + count * SockAddr.SizeIn6;
                uint nameLength = 0;
                if (r.RemoteAddress.Array is not null && (nameLength = LinuxAddress(r.RemoteAddress.Span, name)) == 0) break;
                iov[count] = new Libc.iovec { iov_base = r.Length == 0 ? dummy : array + r.Offset, iov_len = (nuint)r.Length };
                messages[count] = new Libc.mmsghdr
                {
                    msg_hdr = new Libc.msghdr { msg_name = nameLength == 0 ? null : name, msg_namelen = nameLength, msg_iov = iov + count, msg_iovlen = 1 },
                };
            }
            if (count == 0) return RioSendOneAndComplete(rq, head);
            do sent = SocketCalls.SendMmsg(_handle, messages, count, Libc.MSG_NOSIGNAL, out err);
            while (sent < 0 && err == Errno.EINTR);
        }
        if (sent < 0)
        {
            if (err == Errno.EAGAIN)
            {
                NotWritable(edges);
                return false;
            }
            rq.CompleteSend(DatagramAware(err), 0);
            return true;
        }
        for (int i = 0; i < sent; i++) rq.CompleteSend(0, messages[i].msg_len);
        return true;
    }

    /// <summary>The single-send path for one request, completing it: false when it would block.</summary>
    private bool RioSendOneAndComplete(RioRequestQueue rq, in RioRequest r)
    {
        if (!RioSendOne(r, out int status, out uint bytes)) return false;
        rq.CompleteSend(status, bytes);
        return true;
    }

    /// <summary>A Windows sockaddr (AF_INET, or AF_INET6 = 23) as Linux lays it out into <paramref name="to"/>: its length, or 0 for another family.</summary>
    private static unsafe uint LinuxAddress(ReadOnlySpan<byte> windows, byte* to)
    {
        int family = SockAddr.Family(windows);
        int length = family == Ws2Spi.AF_INET ? SockAddr.SizeIn : family == Ws2Spi.AF_INET6 ? SockAddr.SizeIn6 : 0;
        if (length == 0 || windows.Length < length) return 0;
        windows[..length].CopyTo(new Span<byte>(to, length));
        if (family == Ws2Spi.AF_INET6) BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(to, 2), 10);
        return (uint)length;
    }

    private unsafe bool RioSendOne(in RioRequest r, out int status, out uint bytes)
    {
        status = 0;
        bytes = 0;
        byte* to = stackalloc byte[SockAddr.SizeIn6];
        uint toLength = 0;
        if (IsDatagram && r.RemoteAddress.Array is not null && (toLength = LinuxAddress(r.RemoteAddress.Span, to)) == 0)
        {
            status = Ws2Spi.WSAEAFNOSUPPORT;
            return true;
        }
        // RIOSendEx's control records (packet information, as WSASendMsg takes them) go along as Linux control messages.
        var records = IsDatagram && r.ControlContext.IsPresent ? RioControl.SentRecords(r.ControlContext.Span) : default;
        int capacity = 2 * records.Length; // each Windows record becomes at most twice its size, as for WSASendMsg
        Span<byte> linux = capacity <= 512 ? stackalloc byte[capacity] : new byte[capacity];
        int controlLength = 0;
        if (!records.IsEmpty && TranslateControl(records, linux, out controlLength) != 0)
        {
            status = Ws2Spi.WSAEINVAL;
            return true;
        }
        byte* dummy = stackalloc byte[1];
        while (true)
        {
            nint n;
            int err;
            int edges = Volatile.Read(ref _rioWritable); // the writable edges the write below answers for
            fixed (byte* array = r.Array)
            {
                fixed (byte* control = linux)
                {
                    var iov = new Libc.iovec { iov_base = r.Length == 0 ? dummy : array + r.Offset + _rioSent, iov_len = (nuint)(r.Length - _rioSent) };
                    do n = controlLength > 0
                            ? SocketCalls.SendMsgControl(_handle, &iov, 1, toLength == 0 ? null : to, toLength, control, (uint)controlLength, Libc.MSG_NOSIGNAL, out err)
                            : SocketCalls.SendMsg(_handle, &iov, 1, toLength == 0 ? null : to, toLength, Libc.MSG_NOSIGNAL, out err);
                    while (n < 0 && err == Errno.EINTR);
                }
            }
            if (n < 0)
            {
                if (err == Errno.EAGAIN)
                {
                    NotWritable(edges);
                    return false;
                }
                status = DatagramAware(err);
                bytes = (uint)_rioSent;
                _rioSent = 0;
                return true;
            }
            if (IsStream && _rioSent + n < r.Length)
            {
                _rioSent += (int)n;
                continue;
            }
            bytes = IsStream ? (uint)r.Length : (uint)n;
            _rioSent = 0;
            return true;
        }
    }
}
