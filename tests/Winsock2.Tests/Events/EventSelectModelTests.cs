using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>The selection itself (SPEC §5): nonblocking mode, cancelling, replacing, inheritance, WSAEnumNetworkEvents.</summary>
public class EventSelectModelTests : EventTest
{
    [Fact]
    public void WSAEventSelect_MakesSocketNonblocking_RecvFailsWithWSAEWOULDBLOCK()
    {
        var (_, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void WSAEventSelect_MaskZeroStillMakesSocketNonblocking()
    {
        var (_, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, 0));
        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void ioctlsocket_FIONBIO0_WhileEventSelectActive_FailsWithWSAEINVAL()
    {
        var (_, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        uint blocking = 0;
        Fails(WSAEINVAL, ioctlsocket(s, FIONBIO, ref blocking));
        uint nonblocking = 1;
        Ok(ioctlsocket(s, FIONBIO, ref nonblocking)); // staying nonblocking is allowed
    }

    [Fact]
    public void WSAEventSelect_MaskZero_CancelsSelection_ThenFIONBIO0Allowed()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        Ok(WSAEventSelect(s, ev, 0));
        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0)); // cancelling does not make it blocking again

        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        WaitReadable(s);
        Assert.False(WSAWaitForMultipleEvents(1, [ev], false, GraceMs, false) == WSA_WAIT_EVENT_0,
            "a cancelled selection records nothing");
        Assert.Equal(0, Enum(s, ev).lNetworkEvents);

        SetNonBlocking(s, false);
        Assert.Equal(3, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void WSAEventSelect_ReplacesEarlierSelection_AndClearsTheRecord()
    {
        var (c, s) = Own(TcpPair());
        var first = NewEvent();
        var second = NewEvent();
        Ok(WSAEventSelect(s, first, FD_READ));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Assert.True(IsSignalled(first, WaitMs)); // recorded, not taken (a taken FD_READ is not recorded again by a re-selection alone)
        Assert.True(WSAResetEvent(first));

        Ok(WSAEventSelect(s, second, FD_READ)); // the record is cleared; data is waiting: recorded at once on the new event
        Assert.True(IsSignalled(second));
        Assert.Equal(FD_READ, Enum(s, second).lNetworkEvents);
        Assert.False(IsSignalled(first));
    }

    [Fact]
    public void WSAEventSelect_AcceptedSocket_InheritsSelection_NonblockingAndRecordsFdRead()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT | FD_READ));
        var c = ConnectTo(addr);
        WaitForEvents(l, ev, FD_ACCEPT);
        var s = Own(Check(accept(l)));

        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0));
        uint blocking = 0;
        Fails(WSAEINVAL, ioctlsocket(s, FIONBIO, ref blocking));

        Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
        var ne = WaitForEvents(s, ev, FD_READ);
        Assert.Equal(0, ne.iErrorCode[FD_READ_BIT]);
        Assert.Equal(2, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void WSAEnumNetworkEvents_CopiesAndClearsRecord_ResetsEvent()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_WRITE));
        Assert.Equal(1, send(c, Bytes("x"), 1, 0));
        var ne = WaitForEvents(s, ev, FD_READ | FD_WRITE);
        Assert.Equal(0, ne.iErrorCode[FD_READ_BIT]);

        Assert.False(IsSignalled(ev), "the event is reset");
        var again = Enum(s, ev);
        Assert.Equal(0, again.lNetworkEvents); // the record was cleared
    }

    [Fact]
    public void WSAEnumNetworkEvents_WritesOnlyEntriesForSetBits()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        Assert.Equal(1, send(c, Bytes("x"), 1, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, WaitMs, false));

        var ne = new WSANETWORKEVENTS();
        Array.Fill(ne.iErrorCode, 12345);
        Ok(WSAEnumNetworkEvents(s, ev, ne));
        Assert.Equal(FD_READ, ne.lNetworkEvents);
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
            Assert.Equal(bit == FD_READ_BIT ? 0 : 12345, ne.iErrorCode[bit]);
    }

    [Fact]
    public void WSAEnumNetworkEvents_WithoutEvent_ClearsRecordButLeavesEventSignalled()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        Assert.Equal(1, send(c, Bytes("x"), 1, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, WaitMs, false));

        Assert.Equal(FD_READ, Enum(s, WSA_INVALID_EVENT).lNetworkEvents);
        Assert.True(IsSignalled(ev), "with no event handle nothing is reset");
        Assert.Equal(0, Enum(s, ev).lNetworkEvents);
        Assert.False(IsSignalled(ev));
    }

    [Fact]
    public void WSAEnumNetworkEvents_NotASocket_FailsWithWSAENOTSOCK()
    {
        var ev = NewEvent();
        Fails(WSAENOTSOCK, WSAEnumNetworkEvents(new SOCKET(0xBAD0), ev, new WSANETWORKEVENTS()));
    }

    [Fact]
    public void WSAEventSelect_NotASocket_FailsWithWSAENOTSOCK()
    {
        var ev = NewEvent();
        Fails(WSAENOTSOCK, WSAEventSelect(new SOCKET(0xBAD0), ev, FD_READ));
    }
}
