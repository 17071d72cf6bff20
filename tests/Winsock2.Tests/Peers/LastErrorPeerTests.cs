using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// The calls whose success Windows records as leaving WSAGetLastError at 0: Wine's dlls/ws2_32/tests/sock.c sets a
/// sentinel with WSASetLastError / SetLastError before send, recv, recvfrom, WSARecv, WSASendTo, WSASendMsg and
/// WSAIoctl and reads 0 after they succeed. Other calls are not recorded that way and keep the last error.
/// </summary>
public sealed class LastErrorPeerTests : WinsockTest
{
    private const int Sentinel = unchecked((int)0xdeadbeef);

    // Mirrors Wine test_WSARecv: send and non-overlapped WSARecv (one buffer, then two) leave the last error 0.
    [Fact]
    public void WSARecv_Success_LastErrorZero()
    {
        var (c, s) = TcpPair();
        try
        {
            WSASetLastError(Sentinel);
            Assert.Equal(2, send(c, Bytes("ab"), 2, 0));
            Assert.Equal(0, WSAGetLastError());
            var buf = new byte[20];
            uint flags = 0;
            WSASetLastError(Sentinel);
            Ok(WSARecv(s, [new WSABUF(buf, 0, 1)], 1, out uint got, ref flags, null, null));
            Assert.Equal(1u, got);
            Assert.Equal(0, WSAGetLastError());
            Assert.Equal(9, send(c, Bytes("deadbeefs"), 9, 0));
            Eventually(() => { uint n = 0; ioctlsocket(s, FIONREAD, ref n); return n == 10; }, "10 bytes queued");
            WSASetLastError(Sentinel);
            Ok(WSARecv(s, [new WSABUF(buf, 0, 5), new WSABUF(buf, 10, 5)], 2, out got, ref flags, null, null));
            Assert.Equal(10u, got);
            Assert.Equal(0, WSAGetLastError());
            Assert.Equal("bdead", Text(buf, 5));
            Assert.Equal("beefs", System.Text.Encoding.UTF8.GetString(buf, 10, 5));
        }
        finally { closesocket(c); closesocket(s); }
    }

    // Mirrors Wine test_WSARecv (recv_thread): recv and a blocking WSARecv that had to wait leave the last error 0.
    [Fact]
    public void recv_Success_LastErrorZero()
    {
        var (c, s) = TcpPair();
        try
        {
            Assert.Equal(4, send(c, Bytes("test"), 4, 0));
            WSASetLastError(Sentinel);
            Assert.Equal(4, recv(s, new byte[8], 8, 0));
            Assert.Equal(0, WSAGetLastError());
        }
        finally { closesocket(c); closesocket(s); }
    }

    // Mirrors Wine test_WSASendTo: WSAENOTSOCK on no socket; success on an unbound UDP socket leaves the last error
    // 0 and binds the socket.
    [Fact]
    public void WSASendTo_Success_LastErrorZeroAndSocketBound()
    {
        var (rx, rxAddr, _, _) = UdpPair();
        var u = Check(socket(AF_INET, SOCK_DGRAM, 0));
        try
        {
            var data = new WSABUF(Bytes("hello world\0"));
            WSASetLastError(12345);
            Fails(WSAENOTSOCK, WSASendTo(SOCKET.Invalid, [data], 1, out _, 0, rxAddr, rxAddr.Length, null, null));
            WSASetLastError(12345);
            Ok(WSASendTo(u, [data], 1, out uint sent, 0, rxAddr, rxAddr.Length, null, null));
            Assert.Equal(12u, sent);
            Assert.Equal(0, WSAGetLastError());
            Assert.NotEqual(0, PortOf(u));
        }
        finally { closesocket(rx); closesocket(u); }
    }

    // Mirrors Wine test_WSASendMsg (its receive half): recvfrom's success leaves the last error 0; so do sendto's.
    [Fact]
    public void recvfrom_Success_LastErrorZero()
    {
        var (a, _, b, addrB) = UdpPair();
        try
        {
            WSASetLastError(Sentinel);
            Assert.Equal(5, sendto(a, Bytes("hello"), 5, 0, addrB, addrB.Length));
            Assert.Equal(0, WSAGetLastError());
            var from = new byte[16];
            int fromlen = from.Length;
            WSASetLastError(Sentinel);
            Assert.Equal(5, recvfrom(b, new byte[32], 32, 0, from, ref fromlen));
            Assert.Equal(0, WSAGetLastError());
        }
        finally { closesocket(a); closesocket(b); }
    }

    // Mirrors Wine test_fionbio, test_keepalive_vals and check_fionread_siocatmark: WSAIoctl's (and so
    // ioctlsocket's) success leaves the last error 0.
    [Fact]
    public void WSAIoctl_Success_LastErrorZero()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        try
        {
            WSASetLastError(Sentinel);
            Ok(WSAIoctl(s, FIONBIO, [1, 0, 0, 0], 4, null, 0, out uint size, null, null));
            Assert.Equal(0, WSAGetLastError());
            Assert.Equal(0u, size);
            WSASetLastError(Sentinel);
            var value = new byte[4];
            Ok(WSAIoctl(s, FIONREAD, null, 0, value, 4, out size, null, null));
            Assert.Equal(0, WSAGetLastError());
            Assert.Equal(4u, size);
            WSASetLastError(Sentinel);
            uint arg = 0;
            Ok(ioctlsocket(s, SIOCATMARK, ref arg));
            Assert.Equal(0, WSAGetLastError());
        }
        finally { closesocket(s); }
    }

    // The rule is the recorded calls', not every call's: a failing call still sets its own error, and a later
    // successful data call clears it.
    [Fact]
    public void send_FailureThenSuccess_ErrorSetThenCleared()
    {
        var (c, s) = TcpPair();
        try
        {
            Fails(WSAENOTSOCK, send(SOCKET.Invalid, new byte[1], 1, 0));
            Assert.Equal(1, send(c, new byte[1], 1, 0));
            Assert.Equal(0, WSAGetLastError());
        }
        finally { closesocket(c); closesocket(s); }
    }
    // Mirrors ReactOS send.c (test_send): no socket WSAENOTSOCK; unconnected TCP WSAENOTCONN (empty or not);
    // connect's success, then send's (0 bytes, then 32), leave the last error 0.
    [Fact]
    public void send_ReactOsSequence_ErrorsThenConnectAndSendClearLastError()
    {
        var (l, addr) = Listen();
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        try
        {
            var buffer = new byte[32];
            Fails(WSAENOTSOCK, send(SOCKET.Invalid, [], 0, 0));
            Fails(WSAENOTSOCK, send(SOCKET.Invalid, buffer, 32, 0));
            Fails(WSAENOTCONN, send(s, [], 0, 0));
            Fails(WSAENOTCONN, send(s, buffer, 32, 0));
            Ok(connect(s, addr, addr.Length));
            Assert.Equal(0, WSAGetLastError());
            WSASetLastError(Sentinel);
            Assert.Equal(0, send(s, [], 0, 0));
            Assert.Equal(0, WSAGetLastError());
            Assert.Equal(32, send(s, buffer, 32, 0));
            Assert.Equal(0, WSAGetLastError());
        }
        finally { closesocket(s); closesocket(l); }
    }

    // Mirrors ReactOS send.c (test_sendto): after a WSAENOTSOCK, an unbound UDP socket's sendto of 0 bytes and of
    // 32 bytes succeed and leave the last error 0.
    [Fact]
    public void sendto_ReactOsSequence_EmptyAndFullDatagramClearLastError()
    {
        var (rx, rxAddr, _, _) = UdpPair();
        var u = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        try
        {
            var buffer = new byte[32];
            Fails(WSAENOTSOCK, sendto(SOCKET.Invalid, buffer, 32, 0, rxAddr, rxAddr.Length));
            Assert.Equal(0, sendto(u, [], 0, 0, rxAddr, rxAddr.Length));
            Assert.Equal(0, WSAGetLastError());
            WSASetLastError(Sentinel);
            Assert.Equal(32, sendto(u, buffer, 32, 0, rxAddr, rxAddr.Length));
            Assert.Equal(0, WSAGetLastError());
        }
        finally { closesocket(rx); closesocket(u); }
    }

    // Mirrors ReactOS recv.c (Test_recv): no socket and an unconnected socket fail with the buffer untouched;
    // MSG_PEEK returns the bytes a plain recv then returns again; the next recv returns the bytes after them.
    [Fact]
    public void recv_MsgPeekThenRecv_SameBytesThenNext()
    {
        var buf = new byte[] { 0xFF, 0x00, 0xFF, 0x00 };
        Fails(WSAENOTSOCK, recv(SOCKET.Invalid, buf, 4, 0));
        Assert.Equal(new byte[] { 0xFF, 0x00, 0xFF, 0x00 }, buf);
        var lone = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Assert.Equal(SOCKET_ERROR, recv(lone, buf, 4, 0)); // the peer records no code (the seed's WSAEINVAL here: unbound)
        Assert.Equal(new byte[] { 0xFF, 0x00, 0xFF, 0x00 }, buf);
        closesocket(lone);
        var (c, s) = TcpPair();
        try
        {
            Assert.Equal(8, send(c, Bytes("HTTP/1.0"), 8, 0));
            Eventually(() => { uint n = 0; ioctlsocket(s, FIONREAD, ref n); return n == 8; }, "8 bytes queued");
            var peek = new byte[4];
            var first = new byte[4];
            var second = new byte[4];
            Assert.Equal(4, recv(s, peek, 4, MSG_PEEK));
            Assert.Equal(4, recv(s, first, 4, 0));
            Assert.Equal(peek, first);
            Assert.Equal(4, recv(s, second, 4, 0));
            Assert.NotEqual(first, second);
        }
        finally { closesocket(c); closesocket(s); }
    }
}
