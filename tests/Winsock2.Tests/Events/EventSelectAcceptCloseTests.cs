using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>FD_ACCEPT and FD_CLOSE under WSAEventSelect (SPEC §5, §7).</summary>
public class EventSelectAcceptCloseTests : EventTest
{
    [Fact]
    public void WSAEventSelect_FdAccept_ReenabledByAccept_RecordedAgainWhileConnectionsPending()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT));
        ConnectTo(addr);
        ConnectTo(addr);

        var ne = WaitForEvents(l, ev, FD_ACCEPT);
        Assert.Equal(0, ne.iErrorCode[FD_ACCEPT_BIT]);
        Own(Check(accept(l)));
        WaitForEvents(l, ev, FD_ACCEPT); // the second connection is still pending
        Own(Check(accept(l)));
        Assert.Equal(0, Enum(l, ev).lNetworkEvents & FD_ACCEPT);
        Fails(WSAEWOULDBLOCK, accept(l));
    }

    [Fact]
    public void WSAEventSelect_FdAccept_ReenabledByWSAAccept_RecordedAgainWhileConnectionsPending()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT));
        ConnectTo(addr);
        ConnectTo(addr);

        WaitForEvents(l, ev, FD_ACCEPT);
        Own(Check(WSAAccept(l, Condition((_, _, _) => CF_ACCEPT), 0)));
        WaitForEvents(l, ev, FD_ACCEPT);
        Own(Check(WSAAccept(l, Condition((_, _, _) => CF_ACCEPT), 0)));
        Assert.Equal(0, Enum(l, ev).lNetworkEvents & FD_ACCEPT);
    }

    [Fact]
    public void WSAEventSelect_FdAccept_WSAAcceptRejecting_ReenablesFdAccept()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT));
        ConnectTo(addr);
        ConnectTo(addr);

        WaitForEvents(l, ev, FD_ACCEPT);
        Fails(WSAECONNREFUSED, WSAAccept(l, Condition((_, _, _) => CF_REJECT), 0));
        WaitForEvents(l, ev, FD_ACCEPT); // only WSATRY_AGAIN leaves FD_ACCEPT disabled
        Own(Check(accept(l)));
    }

    [Fact]
    public void WSAEventSelect_FdAccept_NotReenabledByWSAAcceptReturningWSATRY_AGAIN()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT));
        var first = ConnectTo(addr);
        WaitForEvents(l, ev, FD_ACCEPT);

        Fails(WSATRY_AGAIN, WSAAccept(l, Condition((_, _, _) => CF_DEFER), 0));
        // The deferred request is still pending and another one arrives, yet FD_ACCEPT stays disabled.
        ConnectTo(addr);
        AssertNotRecorded(l, ev, FD_ACCEPT);

        // A WSAAccept that accepts re-enables it; the newer connection is still pending, so it is recorded again.
        var a = Own(Check(WSAAccept(l, Condition((_, _, _) => CF_ACCEPT), 0)));
        Assert.Equal(LocalEndPoint(first), PeerEndPoint(a));
        WaitForEvents(l, ev, FD_ACCEPT);
        Own(Check(accept(l)));
    }

    [Fact]
    public void WSAEventSelect_FdAccept_ConnectionAlreadyPending_RecordedAtOnce()
    {
        var (l, addr) = Own(Listen());
        ConnectTo(addr);
        WaitReadable(l);
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT));
        Assert.True(IsSignalled(ev));
        var ne = Enum(l, ev);
        Assert.Equal(FD_ACCEPT, ne.lNetworkEvents);
        Assert.Equal(0, ne.iErrorCode[FD_ACCEPT_BIT]);
        Own(Check(accept(l)));
    }

    [Fact]
    public void WSAEventSelect_FdClose_Graceful_ErrorZeroOnlyAfterAllDataRead()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Ok(shutdown(c, SD_SEND));
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_CLOSE));

        var ne = WaitForEvents(s, ev, FD_READ);
        Assert.Equal(0, ne.lNetworkEvents & FD_CLOSE);
        AssertNotRecorded(s, ev, FD_CLOSE); // the data is still unread

        var buf = new byte[8];
        Assert.Equal(3, recv(s, buf, buf.Length, 0));
        var closed = WaitForEvents(s, ev, FD_CLOSE);
        Assert.Equal(0, closed.iErrorCode[FD_CLOSE_BIT]);
        Assert.Equal(0, recv(s, buf, buf.Length, 0)); // graceful: zero bytes
    }

    [Fact]
    public void WSAEventSelect_FdClose_GracefulWithoutData_IsNeverShownAsFdRead()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_CLOSE));
        Assert.Equal(0, Enum(s, ev).lNetworkEvents & (FD_READ | FD_CLOSE));
        Ok(closesocket(c));

        var ne = WaitForEvents(s, ev, FD_CLOSE);
        Assert.Equal(0, ne.iErrorCode[FD_CLOSE_BIT]);
        Assert.Equal(0, ne.lNetworkEvents & FD_READ);
        var buf = new byte[4];
        Assert.Equal(0, recv(s, buf, buf.Length, 0));
        // FD_CLOSE has no re-enabling function, and the 0-byte read is no FD_READ.
        AssertNotRecorded(s, ev, FD_CLOSE | FD_READ);
    }

    [Fact]
    public void WSAEventSelect_FdClose_PeerClosedBeforeSelection_RecordedAtOnce()
    {
        var (c, s) = Own(TcpPair());
        Ok(closesocket(c));
        WaitReadable(s);
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_CLOSE));
        Assert.True(IsSignalled(ev));
        var ne = Enum(s, ev);
        Assert.Equal(FD_CLOSE, ne.lNetworkEvents);
        Assert.Equal(0, ne.iErrorCode[FD_CLOSE_BIT]);
    }

    [Fact]
    public void WSAEventSelect_FdClose_Abortive_RecordsWSAECONNABORTED_RecvWSAECONNRESET()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_CLOSE));
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));

        var ne = WaitForEvents(s, ev, FD_CLOSE);
        Assert.Equal(WSAECONNABORTED, ne.iErrorCode[FD_CLOSE_BIT]); // as Windows records it (Wine test_close_events)
        Assert.Equal(0, ne.lNetworkEvents & FD_READ);
        var buf = new byte[4];
        Fails(WSAECONNRESET, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void WSAEventSelect_FdClose_NeverAfterLocalClosesocket()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_CLOSE));
        Assert.Equal(0, Enum(s, ev).lNetworkEvents);

        Ok(closesocket(s)); // cancels the selection
        Assert.False(WSAWaitForMultipleEvents(1, [ev], false, GraceMs, false) == WSA_WAIT_EVENT_0,
            "FD_CLOSE must not be signalled for a local closesocket");
        Fails(WSAENOTSOCK, WSAEnumNetworkEvents(s, ev, new WSANETWORKEVENTS()));

        // The peer closing afterwards is no event for the closed socket either.
        Ok(closesocket(c));
        Assert.False(WSAWaitForMultipleEvents(1, [ev], false, GraceMs, false) == WSA_WAIT_EVENT_0);
    }
}
