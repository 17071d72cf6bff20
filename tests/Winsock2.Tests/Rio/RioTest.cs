using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>
/// What the Registered I/O tests share: the function table from WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER),
/// sockets made with WSA_FLAG_REGISTERED_IO, registered buffers and waiting for completions.
/// </summary>
public abstract class RioTest : WinsockTest
{
    protected const uint RioFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO;

    /// <summary>The table of <paramref name="s"/>'s provider, which must be given.</summary>
    protected static RIO_EXTENSION_FUNCTION_TABLE Table(SOCKET s)
    {
        var t = new RIO_EXTENSION_FUNCTION_TABLE();
        Ok(WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO, t, out uint bytes, null, null), "WSAIoctl(WSAID_MULTIPLE_RIO)");
        Assert.Equal((uint)RIO_EXTENSION_FUNCTION_TABLE.Size, bytes);
        return t;
    }

    protected static SOCKET RioSocket(int type, int af = AF_INET) =>
        Check(WSASocket(af, type, type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP, null, 0, RioFlags));

    /// <summary>A connected TCP pair on loopback: the client and the accepted side both Registered I/O sockets.</summary>
    protected static (SOCKET Client, SOCKET Server) RioTcpPair(int af = AF_INET)
    {
        var l = RioSocket(SOCK_STREAM, af);
        var any = af == AF_INET ? Loopback() : Loopback6();
        Ok(bind(l, any, any.Length), "bind");
        Ok(listen(l, 4), "listen");
        var addr = af == AF_INET ? Loopback(PortOf(l)) : Loopback6(PortOf(l));
        var c = RioSocket(SOCK_STREAM, af);
        Ok(connect(c, addr, addr.Length), "connect");
        var s = Check(accept(l));
        closesocket(l);
        return (c, s);
    }

    /// <summary>A bound Registered I/O UDP socket on loopback and its address.</summary>
    protected static SOCKET RioUdp(out byte[] address, int af = AF_INET)
    {
        var s = RioSocket(SOCK_DGRAM, af);
        var any = af == AF_INET ? Loopback() : Loopback6();
        Ok(bind(s, any, any.Length), "bind");
        address = af == AF_INET ? Loopback(PortOf(s)) : Loopback6(PortOf(s));
        return s;
    }

    /// <summary>A bound plain (not Registered I/O) UDP socket on loopback and its address: the peer of a test.</summary>
    protected static SOCKET PlainUdp(out byte[] address, int af = AF_INET)
    {
        var s = Check(socket(af, SOCK_DGRAM, IPPROTO_UDP));
        var any = af == AF_INET ? Loopback() : Loopback6();
        Ok(bind(s, any, any.Length), "bind");
        address = af == AF_INET ? Loopback(PortOf(s)) : Loopback6(PortOf(s));
        return s;
    }

    /// <summary>
    /// What most tests start with on <paramref name="s"/>: its provider's table, a polled completion queue of
    /// <paramref name="cqSize"/> entries, a request queue on it for both directions, and a registered buffer of
    /// <paramref name="size"/> bytes.
    /// </summary>
    protected static (RIO_EXTENSION_FUNCTION_TABLE T, RIO_CQ Cq, RIO_RQ Rq, byte[] Buffer, RIO_BUFFERID Id) Rig(SOCKET s, int size,
        uint cqSize = 64, uint maxReceives = 8, uint maxSends = 8)
    {
        var t = Table(s);
        var cq = Cq(t, cqSize);
        var buffer = new byte[size];
        return (t, cq, Rq(t, s, cq, maxReceives, maxSends), buffer, Register(t, buffer));
    }

    /// <summary>A polled completion queue of <paramref name="size"/> entries, which must be made.</summary>
    protected static RIO_CQ Cq(RIO_EXTENSION_FUNCTION_TABLE t, uint size = 64, RIO_NOTIFICATION_COMPLETION? n = null)
    {
        var cq = t.RIOCreateCompletionQueue!(size, n);
        Assert.True(cq is not null, $"RIOCreateCompletionQueue failed with {WSAGetLastError()}");
        return cq!;
    }

    /// <summary>A request queue on <paramref name="s"/>, both directions on <paramref name="cq"/>, which must be made.</summary>
    protected static RIO_RQ Rq(RIO_EXTENSION_FUNCTION_TABLE t, SOCKET s, RIO_CQ cq, uint maxReceives = 8, uint maxSends = 8, nint context = 0)
    {
        var rq = t.RIOCreateRequestQueue!(s, maxReceives, 1, maxSends, 1, cq, cq, context);
        Assert.True(rq is not null, $"RIOCreateRequestQueue failed with {WSAGetLastError()}");
        return rq!;
    }

    protected static RIO_BUFFERID Register(RIO_EXTENSION_FUNCTION_TABLE t, byte[] buffer)
    {
        var id = t.RIORegisterBuffer!(buffer, (uint)buffer.Length);
        Assert.True(id is not null, $"RIORegisterBuffer failed with {WSAGetLastError()}");
        return id!;
    }

    /// <summary>Dequeues until <paramref name="count"/> results arrived (the deadline only fails a stuck test).</summary>
    protected static RIORESULT[] Dequeue(RIO_EXTENSION_FUNCTION_TABLE t, RIO_CQ cq, int count) => RioWait.Dequeue(t, cq, count);

    /// <summary>Asserts a BOOL function failed with exactly <paramref name="expectedError"/> as the last error.</summary>
    protected static void FailsWith(int expectedError, bool result)
    {
        Assert.False(result);
        Assert.Equal(expectedError, WSAGetLastError());
    }

    /// <summary>Asserts a handle-returning function failed (null) with exactly <paramref name="expectedError"/>.</summary>
    protected static void FailsWith(int expectedError, object? result)
    {
        Assert.Null(result);
        Assert.Equal(expectedError, WSAGetLastError());
    }

    /// <summary>Receives exactly <paramref name="count"/> bytes with blocking recv.</summary>
    protected static byte[] RecvAll(SOCKET s, int count)
    {
        var b = new byte[count];
        int got = 0;
        while (got < count)
        {
            var chunk = new byte[count - got];
            int n = recv(s, chunk, chunk.Length, 0);
            Assert.True(n > 0, $"recv returned {n} ({WSAGetLastError()})");
            Array.Copy(chunk, 0, b, got, n);
            got += n;
        }
        return b;
    }
}
