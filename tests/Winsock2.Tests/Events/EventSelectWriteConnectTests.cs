using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>FD_WRITE and FD_CONNECT under WSAEventSelect (SPEC §5).</summary>
public class EventSelectWriteConnectTests : EventTest
{
    [Fact]
    public void WSAEventSelect_FdWrite_ConnectedSocket_RecordedAtOnce()
    {
        var (c, _) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(c, ev, FD_WRITE));
        Assert.True(IsSignalled(ev), "a connected socket has room: FD_WRITE is recorded when the selection is made");
        var ne = Enum(c, ev);
        Assert.Equal(FD_WRITE, ne.lNetworkEvents);
        Assert.Equal(0, ne.iErrorCode[FD_WRITE_BIT]);
    }

    [Fact]
    public void WSAEventSelect_FdWrite_UdpSocket_RecordedAtOnce()
    {
        var (a, _, _, _) = Own(UdpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(a, ev, FD_WRITE));
        Assert.True(IsSignalled(ev));
        Assert.Equal(FD_WRITE, Enum(a, ev).lNetworkEvents);
    }

    [Fact]
    public void WSAEventSelect_FdConnect_NonblockingConnect_WouldBlockThenFdConnectAndFdWrite()
    {
        var (l, addr) = Own(Listen());
        var c = NewTcp();
        var ev = NewEvent();
        Ok(WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE));
        Fails(WSAEWOULDBLOCK, connect(c, addr, addr.Length));

        var ne = WaitForEvents(c, ev, FD_CONNECT | FD_WRITE);
        Assert.Equal(0, ne.iErrorCode[FD_CONNECT_BIT]);
        Assert.Equal(0, ne.iErrorCode[FD_WRITE_BIT]);
        Assert.Equal(0, ne.lNetworkEvents & (FD_READ | FD_CLOSE));
        Own(Check(accept(l)));

        // FD_CONNECT has no re-enabling function: it is not recorded again.
        AssertNotRecorded(c, ev, FD_CONNECT);
        Fails(WSAEISCONN, connect(c, addr, addr.Length));
    }

    [Fact]
    public void WSAEventSelect_FdConnect_RefusedConnect_RecordsWSAECONNREFUSED()
    {
        var target = ClosedPort();
        var c = NewTcp();
        var ev = NewEvent();
        Ok(WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE));
        Fails(WSAEWOULDBLOCK, connect(c, target, target.Length));

        var ne = WaitForEvents(c, ev, FD_CONNECT);
        Assert.Equal(WSAECONNREFUSED, ne.iErrorCode[FD_CONNECT_BIT]);
        // A connection that never existed has no room to write and nothing to close.
        Assert.Equal(0, ne.lNetworkEvents & (FD_WRITE | FD_CLOSE | FD_READ));
    }

    [Fact]
    public void WSAEventSelect_FdWrite_AcceptedSocket_InheritsSelectionAndRecordsFdWrite()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT | FD_WRITE));
        Assert.Equal(0, Enum(l, ev).lNetworkEvents & FD_WRITE); // a listener is never writable
        ConnectTo(addr);
        WaitForEvents(l, ev, FD_ACCEPT);
        var s = Own(Check(accept(l)));

        var ne = WaitForEvents(s, ev, FD_WRITE);
        Assert.Equal(0, ne.iErrorCode[FD_WRITE_BIT]);
        Assert.Equal(0, ne.lNetworkEvents & FD_ACCEPT);
    }

    [Fact]
    public void WSAEventSelect_FdWrite_RecordedAgainOnlyAfterWouldBlockAndRoomReturns()
    {
        var (c, s) = Own(TcpPair());
        Ok(setsockopt(c, SOL_SOCKET, SO_SNDBUF, 4096));
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVBUF, 4096));
        var ev = NewEvent();
        Ok(WSAEventSelect(c, ev, FD_WRITE));
        WaitForEvents(c, ev, FD_WRITE); // the first one, after the connection

        long sent = FillUntilWouldBlock(c);
        Assert.True(sent > 0);

        // The peer drains everything: room comes back after a send failed with WSAEWOULDBLOCK.
        Drain(s, sent);
        var ne = WaitForEvents(c, ev, FD_WRITE);
        Assert.Equal(0, ne.iErrorCode[FD_WRITE_BIT]);

        // And the socket can send again.
        Assert.Equal(3, send(c, Bytes("end"), 3, 0));
        Drain(s, 3);
    }

    [Theory]
    [InlineData("send")]
    [InlineData("sendto")]
    [InlineData("WSASend")]
    [InlineData("WSASendTo")]
    public void WSAEventSelect_FdWrite_ReenabledByEverySendFunction(string function)
    {
        // SPEC §5: FD_WRITE is re-enabled by send, sendto, WSASend and WSASendTo; each one that fails with
        // WSAEWOULDBLOCK leads to a new FD_WRITE once room returns.
        var (c, s) = Own(TcpPair());
        Ok(setsockopt(c, SOL_SOCKET, SO_SNDBUF, 4096));
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVBUF, 4096));
        var ev = NewEvent();
        Ok(WSAEventSelect(c, ev, FD_WRITE));
        WaitForEvents(c, ev, FD_WRITE);

        var peer = PeerEndPoint(c);
        var to = SockAddr.From(peer);
        var chunk = new byte[16 * 1024];
        int SendOnce()
        {
            switch (function)
            {
                case "send": return send(c, chunk, chunk.Length, 0);
                case "sendto": return sendto(c, chunk, chunk.Length, 0, to, to.Length);
                case "WSASend":
                    return WSASend(c, [new WSABUF(chunk)], 1, out uint n1, 0, null, null) == SOCKET_ERROR ? SOCKET_ERROR : (int)n1;
                default:
                    return WSASendTo(c, [new WSABUF(chunk)], 1, out uint n2, 0, to, to.Length, null, null) == SOCKET_ERROR ? SOCKET_ERROR : (int)n2;
            }
        }
        long sent = 0;
        for (int i = 0; ; i++)
        {
            Assert.True(i < 100_000, "the send buffer never filled");
            int n = SendOnce();
            if (n == SOCKET_ERROR)
            {
                Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
                break;
            }
            sent += n;
        }
        Assert.True(sent > 0);
        Drain(s, sent);
        var ne = WaitForEvents(c, ev, FD_WRITE);
        Assert.Equal(0, ne.iErrorCode[FD_WRITE_BIT]);
    }

    [Fact]
    public void WSAEventSelect_FdWrite_NotRecordedAgainAfterSuccessfulSend()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(c, ev, FD_WRITE | FD_READ));
        WaitForEvents(c, ev, FD_WRITE);

        // send re-enables FD_WRITE, but only a send that failed with WSAEWOULDBLOCK leads to another record.
        Assert.Equal(4, send(c, Bytes("ping"), 4, 0));
        Drain(s, 4);
        Assert.Equal(4, send(s, Bytes("pong"), 4, 0));
        // The echo arrives after the peer acknowledged "ping": once FD_READ is recorded, any room that came back
        // has been seen too.
        var ne = WaitForEvents(c, ev, FD_READ);
        Assert.Equal(0, ne.lNetworkEvents & FD_WRITE);
        AssertNotRecorded(c, ev, FD_WRITE);
    }
}
