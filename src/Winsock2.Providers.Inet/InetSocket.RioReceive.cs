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

    private void RioReceives(RioRequestQueue rq)
    {
        while (rq.TryPeekReceive(out var r))
        {
            int status;
            uint bytes;
            bool done = IsStream ? RioReceiveStream(r, out status, out bytes) : RioReceiveDatagram(r, out status, out bytes);
            if (!done) return;
            rq.CompleteReceive(status, bytes);
        }
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
            fixed (byte* p = &r.Array![r.Offset])
            {
                do n = SocketCalls.Recv(_handle, p + _rioFilled, (nuint)(r.Length - _rioFilled), 0, out err);
                while (n < 0 && err == Errno.EINTR);
            }
            if (n < 0)
            {
                if (err == Errno.EAGAIN)
                {
                    Interlocked.Exchange(ref _rioReadable, 0);
                    return false;
                }
                int code = DatagramAware(err);
                if (code == Ws2Spi.WSAETIMEDOUT) code = Ws2Spi.WSAECONNABORTED;
                if (_rioFilled > 0) bytes = (uint)_rioFilled; // the bytes already in the slice are delivered; the error comes next
                else status = code;
                _rioRecvError = code;
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

    private unsafe bool RioReceiveDatagram(in RioRequest r, out int status, out uint bytes)
    {
        status = 0;
        bytes = 0;
        byte* name = stackalloc byte[128];
        byte* dummy = stackalloc byte[1];
        nint n;
        int err, msgFlags;
        uint nameLength;
        fixed (byte* array = r.Array)
        {
            var iov = new Libc.iovec { iov_base = r.Length == 0 ? dummy : array + r.Offset, iov_len = (nuint)r.Length };
            do n = SocketCalls.RecvMsg(_handle, &iov, 1, name, 128, 0, out nameLength, out msgFlags, out err);
            while (n < 0 && err == Errno.EINTR);
        }
        if (n < 0)
        {
            if (err == Errno.EAGAIN)
            {
                Interlocked.Exchange(ref _rioReadable, 0);
                return false;
            }
            status = DatagramAware(err);
            return true;
        }
        bool truncated = (msgFlags & Libc.MSG_TRUNC) != 0;
        bytes = (uint)n;
        if (truncated && r.Length > 0) status = Ws2Spi.WSAEMSGSIZE;
        if (r.RemoteAddress.Array is not null) WriteWindowsAddress(new ReadOnlySpan<byte>(name, (int)nameLength), r.RemoteAddress.Span);
        if (r.LocalAddress.Array is not null && LocalEndPoint is { } local) SockAddr.From(local).AsSpan().CopyTo(r.LocalAddress.Span);
        if (r.FlagsSlice.Array is not null) BinaryPrimitives.WriteUInt32LittleEndian(r.FlagsSlice.Span, truncated ? (uint)Ws2Spi.MSG_TRUNC : 0);
        return true;
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
