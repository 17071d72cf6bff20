using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Recv;

/// <summary>WSPRecv seed: each error code TCP/UDP can produce, by the path that produces it.</summary>
public class WSARecvErrorTests : WinsockTest
{
    private static readonly uint NoFlags = 0;

    [Fact]
    public void WSARecv_UnknownHandle_WSAENOTSOCK()
    {
        uint flags = NoFlags;
        Fails(WSAENOTSOCK, WSARecv(new SOCKET(0xDEAD0), [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
    }

    [Fact]
    public void WSARecv_ClosedHandle_WSAENOTSOCK()
    {
        var (c, s) = TcpPair();
        closesocket(s);
        uint flags = NoFlags;
        Fails(WSAENOTSOCK, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(c);
    }

    [Fact]
    public void WSARecv_BoundButNotConnectedStream_WSAENOTCONN()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        var addr = Loopback();
        Ok(bind(s, addr, addr.Length));
        uint flags = NoFlags;
        Fails(WSAENOTCONN, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(s);
    }

    [Fact]
    public void WSARecv_UnboundStream_WSAEINVAL()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        uint flags = NoFlags;
        Fails(WSAEINVAL, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(s);
    }

    [Fact]
    public void WSARecv_BufferLengthBeyondArray_WSAEFAULT()
    {
        var (c, s) = TcpPair();
        uint flags = NoFlags;
        Fails(WSAEFAULT, WSARecv(s, [new WSABUF(new byte[4], 8)], 1, out _, ref flags, null, null));
        Fails(WSAEFAULT, WSARecv(s, [new WSABUF(new byte[4])], 2, out _, ref flags, null, null)); // count beyond the array
        Fails(WSAEFAULT, recv(s, new byte[4], 5, 0));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_MsgOobOnDatagram_WSAEOPNOTSUPP()
    {
        var (a, _, b, _) = UdpPair();
        uint flags = MSG_OOB;
        Fails(WSAEOPNOTSUPP, WSARecv(b, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_AfterShutdownReceive_WSAESHUTDOWN()
    {
        var (c, s) = TcpPair();
        Ok(shutdown(s, SD_RECEIVE));
        uint flags = NoFlags;
        Fails(WSAESHUTDOWN, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        Ok(shutdown(c, SD_BOTH));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_AfterShutdownBoth_WSAESHUTDOWN()
    {
        var (c, s) = TcpPair();
        Ok(shutdown(s, SD_BOTH));
        Fails(WSAESHUTDOWN, recv(s, new byte[4], 4, 0));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_NonblockingNoData_WSAEWOULDBLOCK()
    {
        var (c, s) = TcpPair();
        uint on = 1;
        Ok(ioctlsocket(s, FIONBIO, ref on));
        uint flags = NoFlags;
        Fails(WSAEWOULDBLOCK, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_TooManyOutstandingOverlapped_WSAEWOULDBLOCK()
    {
        var (c, s) = TcpPair();
        uint flags = NoFlags;
        for (int i = 0; i < Providers.Inet.InetSocket.MaxOutstanding; i++)
            Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[1])], 1, out _, ref flags, new WSAOVERLAPPED(), null));
        Fails(WSAEWOULDBLOCK, WSARecv(s, [new WSABUF(new byte[1])], 1, out _, ref flags, new WSAOVERLAPPED(), null));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_OverlappedOnNonOverlappedSocket_WSAEINVAL_NoCompletion()
    {
        var (c, _) = TcpPair();
        var (l, addr) = Listen();
        var plain = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0)); // no WSA_FLAG_OVERLAPPED
        Ok(connect(plain, addr, addr.Length));
        var peer = Check(accept(l));
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        bool called = false;
        uint flags = NoFlags;
        Fails(WSAEINVAL, WSARecv(plain, [new WSABUF(new byte[4])], 1, out _, ref flags, ov, (_, _, _, _) => called = true));
        Assert.Equal(2, send(peer, Bytes("zz"), 2, 0));
        Assert.Equal(0u, SleepEx(50, true)); // no completion routine was ever queued
        Assert.False(called);
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
        WSACloseEvent(ev);
        closesocket(plain); closesocket(peer); closesocket(l); closesocket(c);
    }

    [Fact]
    public void WSARecv_OverlappedFailsAtOnceWithWSAEMSGSIZE_NoCompletionIndication()
    {
        // The return-value paragraph: an error other than WSA_IO_PENDING means no completion indication will come.
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(4, sendto(a, Bytes("four"), 4, 0, addrB, addrB.Length));
        Eventually(() => { uint n = 0; ioctlsocket(b, FIONREAD, ref n); return n != 0; }, "datagram queued");
        var ev = WSACreateEvent();
        var evOnly = new WSAOVERLAPPED { hEvent = ev };
        var buf = new byte[3];
        uint flags = NoFlags;
        Fails(WSAEMSGSIZE, WSARecv(b, [new WSABUF(buf)], 1, out _, ref flags, evOnly, null));
        Assert.Equal("fou", Text(buf, 3));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false));

        Assert.Equal(4, sendto(a, Bytes("more"), 4, 0, addrB, addrB.Length));
        Eventually(() => { uint n = 0; ioctlsocket(b, FIONREAD, ref n); return n != 0; }, "second datagram queued");
        bool called = false;
        Fails(WSAEMSGSIZE, WSARecv(b, [new WSABUF(buf)], 1, out _, ref flags, new WSAOVERLAPPED(), (_, _, _, _) => called = true));
        Assert.Equal(0u, SleepEx(0, true)); // nothing was queued to this thread
        Assert.False(called);
        WSACloseEvent(ev);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_ConnectedDatagramPortUnreachable_WSAECONNRESET()
    {
        // A connected UDP socket whose peer port is closed: the ICMP port-unreachable surfaces as WSAECONNRESET
        // on the next receive, as on Windows. The receive timeout only bounds a wrong implementation's wait.
        var gone = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var any = Loopback();
        Ok(bind(gone, any, any.Length));
        var closedPort = Loopback(PortOf(gone));
        Ok(closesocket(gone));
        var u = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        Ok(connect(u, closedPort, closedPort.Length));
        Ok(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, 5000));
        Assert.Equal(1, send(u, Bytes("?"), 1, 0));
        uint flags = NoFlags;
        Fails(WSAECONNRESET, WSARecv(u, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(u);
    }

    [Fact]
    public void WSARecv_MsgPeekOverlapped_WSAEOPNOTSUPP()
    {
        var (c, s) = TcpPair();
        uint flags = MSG_PEEK;
        Fails(WSAEOPNOTSUPP, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, new WSAOVERLAPPED(), null));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_MsgWaitAllOnNonblocking_WSAEOPNOTSUPP()
    {
        var (c, s) = TcpPair();
        uint on = 1;
        Ok(ioctlsocket(s, FIONBIO, ref on));
        uint flags = MSG_WAITALL;
        Fails(WSAEOPNOTSUPP, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        flags = MSG_WAITALL | MSG_PEEK;
        on = 0;
        Ok(ioctlsocket(s, FIONBIO, ref on));
        Fails(WSAEOPNOTSUPP, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_MsgWaitAllWithOobOrPartialOrOnDatagram_WSAEOPNOTSUPP()
    {
        // MSG_WAITALL is for blocking stream receives only, and never together with MSG_OOB, MSG_PEEK or MSG_PARTIAL.
        var (c, s) = TcpPair();
        foreach (uint combined in new[] { MSG_WAITALL | MSG_OOB, MSG_WAITALL | MSG_PARTIAL })
        {
            uint flags = combined;
            Fails(WSAEOPNOTSUPP, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        }
        var (a, _, b, _) = UdpPair();
        uint f = MSG_WAITALL;
        Fails(WSAEOPNOTSUPP, WSARecv(b, [new WSABUF(new byte[4])], 1, out _, ref f, null, null));
        foreach (var x in new[] { c, s, a, b }) closesocket(x);
    }

    [Fact]
    public void WSARecv_MsgWaitAllOnBlockingStream_WaitsForAllBytes()
    {
        var (c, s) = TcpPair();
        var buf = new byte[6];
        uint got = 0;
        var t = Run(() =>
        {
            uint flags = MSG_WAITALL;
            WSARecv(s, [new WSABUF(buf)], 1, out got, ref flags, null, null);
        });
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Assert.False(t.Join(100));
        Assert.Equal(3, send(c, Bytes("def"), 3, 0));
        Assert.True(t.Join(5000));
        Assert.Equal(6u, got);
        Assert.Equal("abcdef", Text(buf, 6));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_MsgPartialOnDatagramWithoutPartialSupport_WSAEOPNOTSUPP()
    {
        var (a, _, b, _) = UdpPair();
        uint flags = MSG_PARTIAL;
        Fails(WSAEOPNOTSUPP, WSARecv(b, [new WSABUF(new byte[4])], 1, out _, ref flags, null, null));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_MsgPartialOnStream_ActsAsByteStream()
    {
        var (c, s) = TcpPair();
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        var buf = new byte[8];
        uint flags = MSG_PARTIAL;
        Ok(WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref flags, null, null));
        Assert.True(got is >= 1 and <= 3);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_PendingWhenClosed_WSA_OPERATION_ABORTED()
    {
        var (c, s) = TcpPair();
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = NoFlags;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, ov, null));
        Ok(closesocket(s));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 5000, false));
        Assert.Equal((uint)WSA_OPERATION_ABORTED, ov.OffsetHigh);
        Assert.Equal(0u, (uint)ov.Internal);
        WSACloseEvent(ev);
        closesocket(c);
    }

    [Fact]
    public void WSARecv_PendingRoutineWhenClosed_RoutineGetsWSA_OPERATION_ABORTED()
    {
        var (c, s) = TcpPair();
        uint error = 0;
        uint flags = NoFlags;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, new WSAOVERLAPPED(), (e, _, _, _) => error = e));
        Ok(closesocket(s));
        Assert.Equal(WSA_WAIT_IO_COMPLETION, SleepEx(5000, true));
        Assert.Equal((uint)WSA_OPERATION_ABORTED, error);
        closesocket(c);
    }

    [Fact]
    public void WSARecv_BlockingCancelledFromCompletionRoutine_WSAEINTR()
    {
        var (c, s) = TcpPair();
        var (c2, s2) = TcpPair();
        int blockingResult = 0, blockingError = 0;
        var t = Run(() =>
        {
            uint f = NoFlags;
            // An overlapped receive whose routine cancels the blocking call this thread is about to make.
            WSARecv(s2, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => WSACancelBlockingCall());
            blockingResult = recv(s, new byte[4], 4, 0);
            blockingError = WSAGetLastError();
        });
        Assert.False(t.Join(100));
        Assert.Equal(1, send(c2, Bytes("!"), 1, 0)); // completes the overlapped receive → routine runs during the blocking wait
        Assert.True(t.Join(5000));
        Assert.Equal(SOCKET_ERROR, blockingResult);
        Assert.Equal(WSAEINTR, blockingError);
        closesocket(c); closesocket(s); closesocket(c2); closesocket(s2);
    }

    [Fact]
    public void WSARecv_BlockingFromRoutineDuringBlockingCall_WSAEINPROGRESS()
    {
        var (c, s) = TcpPair();
        var (c2, s2) = TcpPair();
        var (c3, s3) = TcpPair();
        int innerResult = 0, innerError = 0;
        var t = Run(() =>
        {
            uint f = NoFlags;
            WSARecv(s2, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) =>
            {
                innerResult = recv(s3, new byte[4], 4, 0); // would block, inside an APC, during a blocking call
                innerError = WSAGetLastError();
            });
            recv(s, new byte[4], 4, 0);
        });
        Assert.Equal(1, send(c2, Bytes("!"), 1, 0));
        Eventually(() => innerResult != 0, "inner call to return");
        Assert.Equal(1, send(c, Bytes("."), 1, 0)); // releases the outer blocking call
        Assert.True(t.Join(5000));
        Assert.Equal(SOCKET_ERROR, innerResult);
        Assert.Equal(WSAEINPROGRESS, innerError);
        foreach (var x in new[] { c, s, c2, s2, c3, s3 }) closesocket(x);
    }

    [Fact]
    public void WSARecv_BlockingWithReceiveTimeout_WSAETIMEDOUT()
    {
        var (c, s) = TcpPair();
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 100));
        Fails(WSAETIMEDOUT, recv(s, new byte[4], 4, 0));
        closesocket(c); closesocket(s);
    }
}
