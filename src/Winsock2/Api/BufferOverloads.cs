namespace Winsock2;

/// <summary>
/// send, recv, sendto and recvfrom on part of an array (C's <c>buf + n</c>: <c>send(s, buf, n, len - n, 0)</c>) and on
/// spans. A negative offset or length, or offset + len past the array, is WSAEFAULT. The array forms move the
/// caller's bytes directly; the span forms go through a copy (a span cannot outlive the call inside a provider).
/// </summary>
public static partial class Ws2_32
{
    /// <summary>Sends buf[offset..offset+len).</summary>
    public static int send(SOCKET s, byte[] buf, int offset, int len, int flags) => sendto(s, buf, offset, len, flags, null, 0);

    /// <summary>Sends buf[offset..offset+len) to an address (ignored on connected sockets).</summary>
    public static int sendto(SOCKET s, byte[] buf, int offset, int len, int flags, byte[]? to, int tolen)
    {
        if (!RangeValid(buf, offset, len)) return Dispatch.Refuse(WSAEFAULT);
        int rc = WSASendTo(s, [new WSABUF(buf, offset, (uint)len)], 1, out uint sent, (uint)flags, to, tolen, null, null);
        return rc == 0 ? (int)sent : SOCKET_ERROR;
    }

    /// <summary>Receives into buf[offset..offset+len).</summary>
    public static int recv(SOCKET s, byte[] buf, int offset, int len, int flags)
    {
        int fromlen = 0;
        return recvfrom(s, buf, offset, len, flags, null, ref fromlen);
    }

    /// <summary>Receives a datagram into buf[offset..offset+len) and its source address.</summary>
    public static int recvfrom(SOCKET s, byte[] buf, int offset, int len, int flags, byte[]? from, ref int fromlen)
    {
        if (!RangeValid(buf, offset, len)) return Dispatch.Refuse(WSAEFAULT);
        uint f = (uint)flags;
        // One WSABUF per thread, taken for the call (a recv from a completion routine inside this one makes its own).
        var bufs = t_recvBuffers ?? [new WSABUF()];
        t_recvBuffers = null;
        bufs[0].buf = buf;
        bufs[0].offset = offset;
        bufs[0].len = (uint)len;
        try
        {
            int rc = WSARecvFrom(s, bufs, 1, out uint got, ref f, from, ref fromlen, null, null);
            if (rc != 0) return SOCKET_ERROR;
            // A message that did not fit: recv has no lpFlags to carry MSG_PARTIAL, so it fails with WSAEMSGSIZE (the
            // buffer holds the first part). The provider keeps the rest: the next receive returns it.
            if ((f & MSG_PARTIAL) != 0 && (flags & MSG_PARTIAL) == 0 && got == (uint)len) return Dispatch.Finish(SOCKET_ERROR, WSAEMSGSIZE);
            return (int)got;
        }
        finally
        {
            bufs[0].buf = null; // do not keep the caller's buffer alive
            bufs[0].offset = 0;
            bufs[0].len = 0;
            t_recvBuffers = bufs;
        }
    }

    [ThreadStatic] private static WSABUF[]? t_recvBuffers;

    /// <summary>Sends the span (copied: the array forms avoid the copy).</summary>
    public static int send(SOCKET s, ReadOnlySpan<byte> buf, int flags) => sendto(s, buf, flags, null, 0);

    /// <summary>Sends the span to an address (copied).</summary>
    public static int sendto(SOCKET s, ReadOnlySpan<byte> buf, int flags, byte[]? to, int tolen)
    {
        var copy = buf.ToArray();
        return sendto(s, copy, 0, copy.Length, flags, to, tolen);
    }

    /// <summary>Receives into the span (through a copy).</summary>
    public static int recv(SOCKET s, Span<byte> buf, int flags)
    {
        int fromlen = 0;
        return recvfrom(s, buf, flags, null, ref fromlen);
    }

    /// <summary>Receives a datagram into the span (through a copy) and its source address.</summary>
    public static int recvfrom(SOCKET s, Span<byte> buf, int flags, byte[]? from, ref int fromlen)
    {
        var copy = new byte[buf.Length];
        int rc = recvfrom(s, copy, 0, copy.Length, flags, from, ref fromlen);
        if (rc > 0) copy.AsSpan(0, rc).CopyTo(buf);
        return rc;
    }

    private static bool RangeValid(byte[]? buf, int offset, int len) =>
        buf is not null && offset >= 0 && len >= 0 && (long)offset + len <= buf.Length;
}
