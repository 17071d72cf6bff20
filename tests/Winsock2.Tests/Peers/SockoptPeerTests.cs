using System.Buffers.Binary;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// getsockopt / setsockopt, getsockname and getpeername as Wine's sock.c records them on Windows
/// (test_set_getsockopt, test_extendedSocketOptions, test_getsockname, test_getpeername).
/// </summary>
public sealed class SockoptPeerTests : WinsockTest
{
    private const int Sentinel = unchecked((int)0xdeadbeef);

    private static int GetInt(SOCKET s, int level, int name)
    {
        Ok(getsockopt(s, level, name, out int v));
        return v;
    }

    // Mirrors Wine test_set_getsockopt: SO_RCVTIMEO / SO_SNDTIMEO are DWORD milliseconds, read back as set (0 too);
    // a success leaves the last error 0.
    [Fact]
    public void setsockopt_RcvSndTimeo_DwordMillisecondsRoundTrip()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            foreach (var (name, ms) in new[] { (SO_RCVTIMEO, 63000), (SO_RCVTIMEO, 0), (SO_SNDTIMEO, 997000) })
            {
                WSASetLastError(Sentinel);
                Ok(setsockopt(s, SOL_SOCKET, name, ms));
                Assert.Equal(0, WSAGetLastError());
                WSASetLastError(Sentinel);
                Assert.Equal(ms, GetInt(s, SOL_SOCKET, name));
                Assert.Equal(0, WSAGetLastError());
            }
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_set_getsockopt: SO_SNDBUF and SO_RCVBUF read back as set, 0 included.
    [Fact]
    public void setsockopt_SndRcvBuf_ReadBackAsSetZeroIncluded()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            Ok(setsockopt(s, SOL_SOCKET, SO_SNDBUF, 4096));
            Assert.Equal(4096, GetInt(s, SOL_SOCKET, SO_SNDBUF));
            Ok(setsockopt(s, SOL_SOCKET, SO_RCVBUF, 4096));
            Assert.Equal(4096, GetInt(s, SOL_SOCKET, SO_RCVBUF));
            Ok(setsockopt(s, SOL_SOCKET, SO_RCVBUF, 0));
            Assert.Equal(0, GetInt(s, SOL_SOCKET, SO_RCVBUF));
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_set_getsockopt (linger_testvals) and test_extendedSocketOptions: SO_LINGER reads back the
    // on/off state and, when on, the time; SO_DONTLINGER is its negation; no buffer is WSAEFAULT for both; on UDP
    // SO_LINGER is WSAENOPROTOOPT.
    [Fact]
    public void setsockopt_SoLinger_RoundTripDontLingerNegatesNullWSAEFAULT()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        var u = Check(socket(AF_INET, SOCK_DGRAM, 0));
        try
        {
            foreach (var (on, time) in new (ushort, ushort)[] { (0, 0), (0, 73), (1, 0), (5, 189) })
            {
                Ok(setsockopt(s, SOL_SOCKET, SO_LINGER, new linger { l_onoff = on, l_linger = time }));
                Ok(getsockopt(s, SOL_SOCKET, SO_LINGER, out linger got));
                Assert.Equal(on != 0, got.l_onoff != 0);
                if (got.l_onoff != 0) Assert.Equal(time, got.l_linger);
                Assert.Equal(on == 0, GetInt(s, SOL_SOCKET, SO_DONTLINGER) != 0);
            }
            Fails(WSAEFAULT, setsockopt(s, SOL_SOCKET, SO_LINGER, null, 4));
            Fails(WSAEFAULT, setsockopt(s, SOL_SOCKET, SO_LINGER, null, 0));
            Fails(WSAEFAULT, setsockopt(s, SOL_SOCKET, SO_DONTLINGER, null, 4));
            Fails(WSAEFAULT, setsockopt(s, SOL_SOCKET, SO_DONTLINGER, null, 0));
            Fails(WSAENOPROTOOPT, getsockopt(u, SOL_SOCKET, SO_LINGER, out linger _));
        }
        finally { closesocket(s); closesocket(u); }
    }

    // Mirrors Wine test_set_getsockopt (TCP_NODELAY): any positive length is accepted; length 0 is WSAEFAULT and
    // changes nothing; 0x100 in 4 bytes turns it off (one byte is read).
    [Fact]
    public void setsockopt_TcpNodelay_AnyPositiveLengthZeroWSAEFAULT()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            foreach (int len in new[] { 1, 4, 42 })
            {
                var v = new byte[Math.Max(len, 4)];
                v[0] = 1;
                Ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, v, len));
                Assert.Equal(1, GetInt(s, IPPROTO_TCP, TCP_NODELAY));
                Ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, 0));
            }
            Fails(WSAEFAULT, setsockopt(s, IPPROTO_TCP, TCP_NODELAY, [1, 0, 0, 0], 0));
            Assert.Equal(0, GetInt(s, IPPROTO_TCP, TCP_NODELAY));
            Ok(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, 0x100)); // Windows reads one byte: off
            Assert.Equal(0, GetInt(s, IPPROTO_TCP, TCP_NODELAY));
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_set_getsockopt and test_extendedSocketOptions: a level that is not one (0xffffffff,
    // 0x8000, 0x1234ffff, 0x800) is WSAEINVAL for both calls; SO_MAX_MSG_SIZE of UDP is 65507 (or 65527).
    [Fact]
    public void getsockopt_BadLevel_WSAEINVAL_UdpMaxMsgSize()
    {
        var u = Check(socket(AF_INET, SOCK_DGRAM, 0));
        try
        {
            Ok(bind(u, Loopback(), 16));
            int max = GetInt(u, SOL_SOCKET, SO_MAX_MSG_SIZE);
            Assert.True(max is 65507 or 65527, $"SO_MAX_MSG_SIZE {max}");
            foreach (int level in new[] { unchecked((int)0xffffffff), 0x1234ffff, unchecked((int)0x8000ffff), 0x8000, 0x800 })
            {
                var b = new byte[4];
                int len = 4;
                Fails(WSAEINVAL, getsockopt(u, level, SO_MAX_MSG_SIZE, b, ref len));
            }
            Fails(WSAEINVAL, setsockopt(u, unchecked((int)0xffffffff), SO_RCVTIMEO, 63000));
            Fails(WSAEINVAL, setsockopt(u, 0x8000, SO_RCVTIMEO, 63000));
        }
        finally { closesocket(u); }
    }

    // Mirrors Wine test_set_getsockopt ("Test SO_ERROR set/get", "invalid optlen"): setting SO_ERROR succeeds with
    // the last error 0; reading it into 1 byte is WSAEFAULT; on a closed socket WSAENOTSOCK, the value untouched.
    [Fact]
    public void getsockopt_SoError_SetSucceedsShortWSAEFAULTClosedWSAENOTSOCK()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        WSASetLastError(Sentinel);
        Ok(setsockopt(s, SOL_SOCKET, SO_ERROR, 1234));
        Assert.Equal(0, WSAGetLastError());
        var b = new byte[4];
        int len = 1;
        Fails(WSAEFAULT, getsockopt(s, SOL_SOCKET, SO_ERROR, b, ref len));
        Ok(closesocket(s));
        BinaryPrimitives.WriteInt32LittleEndian(b, 1234);
        len = 4;
        Fails(WSAENOTSOCK, getsockopt(s, SOL_SOCKET, SO_ERROR, b, ref len));
        Assert.Equal(1234, BinaryPrimitives.ReadInt32LittleEndian(b));
    }

    // Mirrors Wine test_set_getsockopt (option length table): a buffer length of 0 is WSAEFAULT for getsockopt;
    // the int-sized options (SO_RCVBUF, SO_SNDBUF, SO_RCVTIMEO, SO_SNDTIMEO, SO_LINGER) refuse 1 and 2 bytes with
    // WSAEFAULT on both calls; the TTLs refuse 0x100 with WSAEINVAL.
    [Fact]
    public void getsockopt_ShortLengths_WSAEFAULT_TtlOutOfRangeWSAEINVAL()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        var u = Check(socket(AF_INET, SOCK_DGRAM, 0));
        try
        {
            foreach (int name in new[] { SO_RCVBUF, SO_SNDBUF, SO_RCVTIMEO, SO_SNDTIMEO, SO_LINGER, SO_REUSEADDR, SO_OOBINLINE })
            {
                var b = new byte[4];
                int len = 0;
                Fails(WSAEFAULT, getsockopt(s, SOL_SOCKET, name, b, ref len));
            }
            foreach (int name in new[] { SO_RCVBUF, SO_SNDBUF, SO_RCVTIMEO, SO_SNDTIMEO, SO_LINGER })
            {
                foreach (int size in new[] { 1, 2 })
                {
                    Fails(WSAEFAULT, setsockopt(s, SOL_SOCKET, name, [1, 0, 0, 0], size));
                    var b = new byte[4];
                    int len = size;
                    Fails(WSAEFAULT, getsockopt(s, SOL_SOCKET, name, b, ref len));
                    Assert.Equal(size, len);
                }
            }
            foreach (int name in new[] { IP_TTL, IP_MULTICAST_TTL })
                Fails(WSAEINVAL, setsockopt(u, IPPROTO_IP, name, 0x100));
        }
        finally { closesocket(s); closesocket(u); }
    }

    // Mirrors Wine test_set_getsockopt (IP_MULTICAST_TTL with 8, 16, 24 and 32 bits): a shorter length takes that
    // many low bytes.
    [Fact]
    public void setsockopt_IpMulticastTtl_ShortLengthsTakeLowBytes()
    {
        var u = Check(socket(AF_INET, SOCK_DGRAM, 0));
        try
        {
            int[] values = [unchecked((int)0xffffff0a), unchecked((int)0xffff000b), unchecked((int)0xff00000c), 0x0000000d];
            for (int i = 0; i < 4; i++)
            {
                var b = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(b, values[i]);
                Ok(setsockopt(u, IPPROTO_IP, IP_MULTICAST_TTL, b, i + 1));
                int expected = i != 3 ? values[i] & ((1 << ((i + 1) * 8)) - 1) : values[i];
                Assert.Equal(expected, GetInt(u, IPPROTO_IP, IP_MULTICAST_TTL));
            }
        }
        finally { closesocket(u); }
    }

    // Mirrors Wine test_getsockname: unbound, WSAEINVAL with the buffer untouched; bound, the last error 0 and
    // sin_zero zeroed; a length one short of sockaddr_in is WSAEFAULT. Differs: Windows leaves the length as
    // passed, here the size needed is written back (the porting rule of docs/porting.md).
    [Fact]
    public void getsockname_UnboundWSAEINVAL_BoundZeroesPadding_ShortWSAEFAULT()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            var name = new byte[16];
            name.AsSpan().Fill(0x5a);
            int len = 16;
            Fails(WSAEINVAL, getsockname(s, name, ref len));
            Assert.All(name, b => Assert.Equal(0x5a, b));
            Ok(bind(s, SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0)), 16));
            WSASetLastError(Sentinel);
            Ok(getsockname(s, name, ref len));
            Assert.Equal(0, WSAGetLastError());
            Assert.Equal(16, len);
            Assert.All(name[8..16], b => Assert.Equal(0, b));
            len = 15;
            Fails(WSAEFAULT, getsockname(s, name, ref len));
            Assert.Equal(16, len);
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_getpeername: WSAENOTSOCK first; an unconnected UDP socket is WSAENOTCONN, still after a
    // sendto; connected, a zero length is WSAEFAULT (Windows leaves the length 0; here the size needed is written
    // back, docs/porting.md), and a full buffer gets the connect address and its length.
    [Fact]
    public void getpeername_UnconnectedUdpWSAENOTCONN_ZeroLengthWSAEFAULT()
    {
        var (rx, rxAddr, _, _) = UdpPair();
        var u = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_IP));
        try
        {
            var name = new byte[128];
            int len = name.Length;
            Fails(WSAENOTSOCK, getpeername(SOCKET.Invalid, name, ref len));
            Fails(WSAENOTCONN, getpeername(u, name, ref len));
            Assert.Equal(3, sendto(u, Bytes("hey"), 3, 0, rxAddr, rxAddr.Length));
            Fails(WSAENOTCONN, getpeername(u, name, ref len));
            Ok(connect(u, rxAddr, rxAddr.Length));
            len = 0;
            Fails(WSAEFAULT, getpeername(u, name, ref len));
            Assert.Equal(16, len);
            len = name.Length;
            Ok(getpeername(u, name, ref len));
            Assert.Equal(16, len);
            Assert.Equal(rxAddr[..8], name[..8]);
        }
        finally { closesocket(rx); closesocket(u); }
    }
    // Mirrors Wine test_set_getsockopt (IP_TTL row): IP_TTL is read and set (1..4 bytes), values past 255 WSAEINVAL.
    [Fact]
    public void setsockopt_IpTtl_RoundTripOutOfRangeWSAEINVAL()
    {
        foreach (int type in new[] { SOCK_DGRAM, SOCK_STREAM })
        {
            var s = Check(socket(AF_INET, type, 0));
            try
            {
                Ok(setsockopt(s, IPPROTO_IP, IP_TTL, 77));
                Assert.Equal(77, GetInt(s, IPPROTO_IP, IP_TTL));
                Ok(setsockopt(s, IPPROTO_IP, IP_TTL, [9, 0, 0, 0], 1));
                Assert.Equal(9, GetInt(s, IPPROTO_IP, IP_TTL));
                Fails(WSAEINVAL, setsockopt(s, IPPROTO_IP, IP_TTL, 0x100));
                Assert.Equal(9, GetInt(s, IPPROTO_IP, IP_TTL));
            }
            finally { closesocket(s); }
        }
    }
    // Mirrors Wine test_reuseaddr (the parts Linux shares): SO_REUSEADDR reads 0 on a fresh socket; two sockets
    // both with SO_REUSEADDR bind one loopback address, and a connection goes to the one listening. Two wildcard
    // binds without it: Windows refuses the second (WSAEADDRINUSE); here it is refused only once the first listens
    // (the runtime sets Linux's SO_REUSEADDR on every TCP socket, see docs/conformance.md).
    [Fact]
    public void bind_SoReuseaddrBothSockets_SecondBindsFirstListenerAccepts()
    {
        var s1 = Check(socket(AF_INET, SOCK_STREAM, 0));
        var s2 = Check(socket(AF_INET, SOCK_STREAM, 0));
        var s3 = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            Assert.Equal(0, GetInt(s2, SOL_SOCKET, SO_REUSEADDR));
            Ok(setsockopt(s1, SOL_SOCKET, SO_REUSEADDR, 1));
            Ok(bind(s1, Loopback(), 16));
            var addr = Loopback(PortOf(s1));
            Ok(setsockopt(s2, SOL_SOCKET, SO_REUSEADDR, 1));
            Ok(bind(s2, addr, addr.Length));
            Ok(listen(s1, 1));
            Ok(connect(s3, addr, addr.Length));
            var a = Check(accept(s1));
            closesocket(a);
        }
        finally { closesocket(s1); closesocket(s2); closesocket(s3); }
        var w1 = Check(socket(AF_INET, SOCK_STREAM, 0));
        var w2 = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            Ok(bind(w1, SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0)), 16));
            Assert.Equal(0, GetInt(w1, SOL_SOCKET, SO_REUSEADDR)); // bound without it: still 0
            var any = SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Any, PortOf(w1)));
            Ok(bind(w2, any, any.Length)); // differs from Windows: nothing listens yet
            Ok(closesocket(w2));
            Ok(listen(w1, 1));
            w2 = Check(socket(AF_INET, SOCK_STREAM, 0));
            Fails(WSAEADDRINUSE, bind(w2, any, any.Length));
        }
        finally { closesocket(w1); closesocket(w2); }
    }
}
