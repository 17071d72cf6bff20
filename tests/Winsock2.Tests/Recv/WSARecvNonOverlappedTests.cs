using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Recv;

/// <summary>WSPRecv seed: the non-overlapped paragraphs (buffered data, blocking, byte stream vs message, scatter, close).</summary>
public class WSARecvNonOverlappedTests : WinsockTest
{
    [Fact]
    public void WSARecv_NonOverlapped_CopiesBufferedData()
    {
        var (c, s) = TcpPair();
        Assert.Equal(4, send(c, Bytes("data"), 4, 0));
        var buf = new byte[8];
        uint flags = 0;
        Eventually(() => { ioctlsocket(s, FIONREAD, ref flags); return flags == 4; }, "data buffered");
        flags = 0;
        Ok(WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref flags, null, null));
        Assert.Equal(4u, got);
        Assert.Equal("data", Text(buf, 4));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_BlockingNoData_BlocksUntilDataArrives()
    {
        var (c, s) = TcpPair();
        var buf = new byte[8];
        uint got = 0;
        int rc = 1;
        var t = Run(() =>
        {
            uint flags = 0;
            rc = WSARecv(s, [new WSABUF(buf)], 1, out got, ref flags, null, null);
        });
        Assert.False(t.Join(200)); // still blocked: no data yet
        Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
        Assert.True(t.Join(5000));
        Assert.Equal(0, rc);
        Assert.Equal(2u, got);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_ByteStream_OneByteUnblocks()
    {
        var (c, s) = TcpPair();
        Assert.Equal(1, send(c, Bytes("x"), 1, 0));
        var buf = new byte[100];
        Assert.Equal(1, recv(s, buf, buf.Length, 0));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_ByteStream_IgnoresSendBoundaries()
    {
        var (c, s) = TcpPair();
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Assert.Equal(3, send(c, Bytes("def"), 3, 0));
        uint n = 0;
        Eventually(() => { ioctlsocket(s, FIONREAD, ref n); return n == 6; }, "both sends buffered");
        var buf = new byte[100];
        Assert.Equal(6, recv(s, buf, buf.Length, 0)); // one receive takes both sends: no message boundaries
        Assert.Equal("abcdef", Text(buf, 6));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_MessageOriented_OneMessagePerReceive()
    {
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(3, sendto(a, Bytes("one"), 3, 0, addrB, addrB.Length));
        Assert.Equal(3, sendto(a, Bytes("two"), 3, 0, addrB, addrB.Length));
        var buf = new byte[100];
        Assert.Equal(3, recv(b, buf, buf.Length, 0));
        Assert.Equal("one", Text(buf, 3));
        Assert.Equal(3, recv(b, buf, buf.Length, 0));
        Assert.Equal("two", Text(buf, 3));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_Buffers_FilledInArrayOrderWithoutHoles()
    {
        var (c, s) = TcpPair();
        Assert.Equal(10, send(c, Bytes("abcdefghij"), 10, 0));
        uint n = 0;
        Eventually(() => { ioctlsocket(s, FIONREAD, ref n); return n == 10; }, "data buffered");
        var b1 = new byte[2]; var b2 = new byte[3]; var b3 = new byte[5];
        uint flags = 0;
        Ok(WSARecv(s, [new WSABUF(b1), new WSABUF(b2), new WSABUF(b3)], 3, out uint got, ref flags, null, null));
        Assert.Equal(10u, got);
        Assert.Equal("ab", Text(b1, 2));
        Assert.Equal("cde", Text(b2, 3));
        Assert.Equal("fghij", Text(b3, 5));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_Datagram_ScattersOneMessageAcrossBuffers()
    {
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(6, sendto(a, Bytes("123456"), 6, 0, addrB, addrB.Length));
        var b1 = new byte[4]; var b2 = new byte[4];
        uint flags = 0;
        Ok(WSARecv(b, [new WSABUF(b1), new WSABUF(b2)], 2, out uint got, ref flags, null, null));
        Assert.Equal(6u, got);
        Assert.Equal("1234", Text(b1, 4));
        Assert.Equal("56", Text(b2, 2));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_DatagramLargerThanBuffers_WSAEMSGSIZE_ExcessLost()
    {
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(10, sendto(a, Bytes("0123456789"), 10, 0, addrB, addrB.Length));
        Assert.Equal(4, sendto(a, Bytes("next"), 4, 0, addrB, addrB.Length));
        var buf = new byte[4];
        uint flags = 0;
        Fails(WSAEMSGSIZE, WSARecv(b, [new WSABUF(buf)], 1, out _, ref flags, null, null));
        Assert.Equal("0123", Text(buf, 4)); // the buffer holds the first part
        var next = new byte[16];
        Assert.Equal(4, recv(b, next, next.Length, 0)); // the rest of the first datagram is gone
        Assert.Equal("next", Text(next, 4));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_ByteStreamGracefulClose_ReturnsZeroBytes()
    {
        var (c, s) = TcpPair();
        Assert.Equal(2, send(c, Bytes("ok"), 2, 0));
        Ok(shutdown(c, SD_SEND));
        var buf = new byte[8];
        Assert.Equal(2, recv(s, buf, buf.Length, 0));
        uint flags = 0;
        Ok(WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref flags, null, null));
        Assert.Equal(0u, got);
        Assert.Equal(0, recv(s, buf, buf.Length, 0)); // and stays at 0
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_AbortiveClose_WSAECONNRESET()
    {
        var (c, s) = TcpPair();
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));
        var buf = new byte[8];
        uint flags = 0;
        Fails(WSAECONNRESET, WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, null, null));
        closesocket(s);
    }

    [Fact]
    public void WSARecv_MsgPeek_LeavesDataQueued()
    {
        var (c, s) = TcpPair();
        Assert.Equal(4, send(c, Bytes("peek"), 4, 0));
        var buf = new byte[8];
        uint flags = MSG_PEEK;
        Eventually(() => { uint n = 0; ioctlsocket(s, FIONREAD, ref n); return n == 4; }, "data buffered");
        Ok(WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref flags, null, null));
        Assert.Equal(4u, got);
        Assert.Equal(4, recv(s, buf, buf.Length, 0)); // still there
        Assert.Equal("peek", Text(buf, 4));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_MsgOob_ReceivesUrgentByte()
    {
        var (c, s) = TcpPair();
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var buf = new byte[4];
        int n = 0;
        Eventually(() =>
        {
            uint f = MSG_OOB;
            var rc = WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref f, null, null);
            n = (int)got;
            return rc == 0;
        }, "urgent byte");
        Assert.Equal(1, n);
        Assert.Equal("!", Text(buf, 1));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void recv_FullReadEndingAtTheUrgentMark_TheNextReadKeepsTheUrgentByte()
    {
        // A full read does not look for urgent data unless it was reported; once select (or the reactor) saw it,
        // the read that ends at the mark is followed by one that starts there, which on Linux would drop the byte.
        var (c, s) = TcpPair();
        var buf = new byte[8];
        Assert.Equal(2, send(c, Bytes("ab"), 2, 0));
        Assert.Equal(2, recv(s, buf, 2, 0)); // full: the next read does not poll on its own account
        Assert.Equal(2, send(c, Bytes("cd"), 2, 0));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var except = fd_set.Of(s);
        Assert.Equal(1, select(0, null, null, except, new timeval { tv_sec = 5 }));
        Assert.Equal(2, recv(s, buf, 2, 0)); // "cd", up to the mark
        Assert.Equal("cd", Text(buf, 2));
        uint on = 1;
        Ok(ioctlsocket(s, FIONBIO, ref on));
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0)); // starts at the mark: the urgent byte is not normal data
        Assert.Equal(1, recv(s, buf, 1, MSG_OOB));
        Assert.Equal("!", Text(buf, 1));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_MsgOobWithOobInline_WSAEINVAL()
    {
        var (c, s) = TcpPair();
        Ok(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, 1));
        var buf = new byte[4];
        uint flags = MSG_OOB;
        Fails(WSAEINVAL, WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, null, null));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_ConnectedDatagram_OnlyFromConnectedPeer()
    {
        var (a, addrA, b, addrB) = UdpPair();
        var stranger = Check(socket(AF_INET, SOCK_DGRAM, 0));
        Ok(connect(b, addrA, addrA.Length));
        Assert.Equal(8, sendto(stranger, Bytes("stranger"), 8, 0, addrB, addrB.Length));
        Assert.Equal(4, sendto(a, Bytes("peer"), 4, 0, addrB, addrB.Length));
        var buf = new byte[16];
        var from = new byte[16];
        int fromlen = from.Length;
        int n = recvfrom(b, buf, buf.Length, 0, from, ref fromlen);
        Assert.Equal("peer", Text(buf, n));
        Assert.Equal(SockAddr.ToEndPoint(addrA), SockAddr.ToEndPoint(from));
        closesocket(a); closesocket(b); closesocket(stranger);
    }

    [Fact]
    public void WSARecvFrom_ReportsSender()
    {
        var (a, addrA, b, addrB) = UdpPair();
        Assert.Equal(2, sendto(a, Bytes("hi"), 2, 0, addrB, addrB.Length));
        var buf = new byte[16];
        var from = new byte[SockAddr.SizeIn];
        int fromlen = from.Length;
        uint flags = 0;
        Ok(WSARecvFrom(b, [new WSABUF(buf)], 1, out uint got, ref flags, from, ref fromlen, null, null));
        Assert.Equal(2u, got);
        Assert.Equal(SockAddr.SizeIn, fromlen);
        Assert.Equal(SockAddr.ToEndPoint(addrA), SockAddr.ToEndPoint(from));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_UnboundDatagram_WSAEINVAL_AndSendtoBindsImplicitly()
    {
        var (a, addrA, b, addrB) = UdpPair();
        var u = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var buf = new byte[8];
        Fails(WSAEINVAL, recv(u, buf, buf.Length, 0));
        Assert.Equal(2, sendto(u, Bytes("up"), 2, 0, addrA, addrA.Length)); // binds u
        var from = new byte[16];
        int fromlen = from.Length;
        Assert.Equal(2, recvfrom(a, buf, buf.Length, 0, from, ref fromlen));
        Assert.Equal(2, sendto(a, Bytes("ok"), 2, 0, from, fromlen));
        Assert.Equal(2, recv(u, buf, buf.Length, 0)); // now bound: receives
        closesocket(a); closesocket(b); closesocket(u);
    }

    [Fact]
    public void WSARecv_IPv6_TcpAndUdp()
    {
        var (c, s) = TcpPair(AF_INET6);
        Assert.Equal(3, send(c, Bytes("six"), 3, 0));
        var buf = new byte[8];
        Assert.Equal(3, recv(s, buf, buf.Length, 0));
        closesocket(c); closesocket(s);
        var (a, _, b, addrB) = UdpPair(AF_INET6);
        Assert.Equal(3, sendto(a, Bytes("udp"), 3, 0, addrB, addrB.Length));
        var from = new byte[SockAddr.SizeIn6];
        int fromlen = from.Length;
        Assert.Equal(3, recvfrom(b, buf, buf.Length, 0, from, ref fromlen));
        Assert.Equal(IPAddress.IPv6Loopback, SockAddr.ToEndPoint(from).Address);
        closesocket(a); closesocket(b);
    }
}
