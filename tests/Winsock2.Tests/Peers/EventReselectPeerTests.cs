using Winsock2.Tests.Events;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// Re-selection and recording rules of WSAEventSelect / WSAAsyncSelect as Windows shows them in Wine's
/// dlls/ws2_32/tests/sock.c (test_events runs test_accept_events, test_connect_events, test_write_events,
/// test_read_events, test_oob_events and test_close_events once with an event object and once with a window).
/// </summary>
public sealed class EventReselectPeerTests : EventTest
{
    private const int All = FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ | FD_WRITE;

    // Mirrors Wine test_write_events: FD_WRITE taken, then WSAEventSelect with the same mask (and via mask 0)
    // records nothing more.
    [Fact]
    public void WSAEventSelect_SameMaskAfterFdWriteTaken_DoesNotRecordFdWriteAgain()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, All));
        Assert.Equal(FD_WRITE, WaitForEvents(s, ev, FD_WRITE).lNetworkEvents);
        Ok(WSAEventSelect(s, ev, All));
        AssertNotRecorded(s, ev, All);
        Ok(WSAEventSelect(s, ev, 0));
        Ok(WSAEventSelect(s, ev, All));
        AssertNotRecorded(s, ev, All);
    }

    // Mirrors Wine test_write_events (window half): WSAAsyncSelect again posts FD_WRITE again.
    [Fact]
    public void WSAAsyncSelect_SameMask_PostsFdWriteAgain()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, All));
        WaitForMessage(hwnd, s, FD_WRITE);
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, All));
        WaitForMessage(hwnd, s, FD_WRITE);
    }

    // Mirrors Wine test_write_events ("select on a subset not containing FD_WRITE first"): an event never
    // recorded because it was not selected is recorded when a later selection includes it.
    [Fact]
    public void WSAEventSelect_FdWriteAddedLater_RecordedThen()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_OOB | FD_ACCEPT));
        AssertNotRecorded(s, ev, FD_WRITE);
        Ok(WSAEventSelect(s, ev, FD_READ | FD_OOB | FD_ACCEPT | FD_WRITE));
        Assert.Equal(FD_WRITE, WaitForEvents(s, ev, FD_WRITE).lNetworkEvents & FD_WRITE);
    }

    // Mirrors Wine test_write_events (last block): send does not clear a recorded FD_WRITE.
    [Fact]
    public void WSAEventSelect_SendAfterFdWriteRecorded_RecordStaysUntilTaken()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_WRITE));
        Assert.True(IsSignalled(ev, WaitMs));
        Assert.Equal(5, send(s, Bytes("data!"), 5, 0));
        Assert.Equal(FD_WRITE, Enum(s, ev).lNetworkEvents & FD_WRITE);
    }

    // Mirrors Wine test_accept_events: FD_ACCEPT taken; re-selection (same mask, or via 0) records nothing; a
    // second connection arriving before any accept records FD_ACCEPT; accept with one more waiting records it
    // again; the last accept leaves nothing recorded.
    [Fact]
    public void WSAEventSelect_FdAccept_ReselectSilent_SecondConnectionRecords()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_CONNECT | FD_READ | FD_OOB | FD_ACCEPT));
        AssertNotRecorded(l, ev, FD_ACCEPT);
        ConnectTo(addr);
        Assert.Equal(FD_ACCEPT, WaitForEvents(l, ev, FD_ACCEPT).lNetworkEvents);
        Ok(WSAEventSelect(l, ev, FD_CONNECT | FD_READ | FD_OOB | FD_ACCEPT));
        AssertNotRecorded(l, ev, FD_ACCEPT);
        Ok(WSAEventSelect(l, ev, 0));
        Ok(WSAEventSelect(l, ev, FD_CONNECT | FD_READ | FD_OOB | FD_ACCEPT));
        AssertNotRecorded(l, ev, FD_ACCEPT);

        ConnectTo(addr);
        Assert.Equal(FD_ACCEPT, WaitForEvents(l, ev, FD_ACCEPT).lNetworkEvents);
        AssertNotRecorded(l, ev, FD_ACCEPT);

        Own(Check(accept(l)));
        Assert.Equal(FD_ACCEPT, WaitForEvents(l, ev, FD_ACCEPT).lNetworkEvents);
        Own(Check(accept(l)));
        AssertNotRecorded(l, ev, FD_ACCEPT);
    }

    // Mirrors Wine test_accept_events (window half): WSAAsyncSelect again posts FD_ACCEPT again; the second
    // connection then posts nothing until accept.
    [Fact]
    public void WSAAsyncSelect_FdAccept_ReselectPostsAgain_SecondConnectionSilent()
    {
        var (l, addr) = Own(Listen());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(l, hwnd, WM_SOCKET, FD_ACCEPT));
        ConnectTo(addr);
        WaitForMessage(hwnd, l, FD_ACCEPT);
        Ok(WSAAsyncSelect(l, hwnd, WM_SOCKET, FD_ACCEPT));
        WaitForMessage(hwnd, l, FD_ACCEPT);
        ConnectTo(addr);
        Assert.False(GetMessage(out _, hwnd, GraceMs), "a second connection posted FD_ACCEPT before any accept");
        Own(Check(accept(l)));
        WaitForMessage(hwnd, l, FD_ACCEPT);
    }

    // Mirrors Wine test_accept_events ("select on a subset containing FD_ACCEPT first"): FD_ACCEPT recorded but
    // never taken is recorded again by a selection that includes it.
    [Fact]
    public void WSAEventSelect_FdAcceptRecordedNotTaken_RecordedAgainByReselection()
    {
        var (l, addr) = Own(Listen());
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_READ | FD_ACCEPT));
        ConnectTo(addr);
        Assert.True(IsSignalled(ev, WaitMs));
        Ok(WSAEventSelect(l, ev, FD_READ));
        Ok(WSAResetEvent(ev) ? 0 : SOCKET_ERROR);
        Ok(WSAEventSelect(l, ev, FD_READ | FD_ACCEPT));
        Assert.True(IsSignalled(ev));
        Assert.Equal(FD_ACCEPT, Enum(l, ev).lNetworkEvents);
    }

    // Mirrors Wine test_accept_events ("call accept() before selecting"): nothing to accept, nothing recorded.
    [Fact]
    public void WSAEventSelect_AcceptedBeforeSelection_NoFdAccept()
    {
        var (l, addr) = Own(Listen());
        ConnectTo(addr);
        Own(Check(accept(l)));
        var ev = NewEvent();
        Ok(WSAEventSelect(l, ev, FD_ACCEPT));
        AssertNotRecorded(l, ev, FD_ACCEPT);
    }

    // Mirrors Wine test_connect_events ("connect and then select"): an event selection on a socket connected
    // by connect records FD_CONNECT with FD_WRITE; an accepted socket records no FD_CONNECT.
    [Fact]
    public void WSAEventSelect_ConnectedBeforeSelection_RecordsFdConnect()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(c, ev, All));
        var ne = WaitForEvents(c, ev, FD_CONNECT | FD_WRITE);
        Assert.Equal(0, ne.iErrorCode[FD_CONNECT_BIT]);
        Ok(WSAEventSelect(c, ev, 0));
        Ok(WSAEventSelect(c, ev, All));
        AssertNotRecorded(c, ev, All);

        var ev2 = NewEvent();
        Ok(WSAEventSelect(s, ev2, FD_CONNECT | FD_READ));
        AssertNotRecorded(s, ev2, FD_CONNECT);
    }

    // Mirrors Wine test_connect_events (window half): a window selection after connect posts FD_WRITE only.
    [Fact]
    public void WSAAsyncSelect_ConnectedBeforeSelection_PostsFdWriteOnly()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(c, hwnd, WM_SOCKET, All));
        var msg = NextMessage(hwnd);
        Assert.Equal(FD_WRITE, WSAGETSELECTEVENT(msg.lParam));
        Assert.False(GetMessage(out _, hwnd, GraceMs), "a window selection after connect posted more than FD_WRITE");
    }

    // Mirrors Wine test_read_events: FD_READ taken; re-selection records nothing; new data records FD_READ;
    // a partial recv records it again while data remains.
    [Fact]
    public void WSAEventSelect_FdRead_ReselectSilent_NewDataRecords()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ));
        AssertNotRecorded(s, ev, FD_READ);
        Assert.Equal(5, send(c, Bytes("data1"), 5, 0));
        Assert.Equal(FD_READ, WaitForEvents(s, ev, FD_READ).lNetworkEvents);
        Ok(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ));
        AssertNotRecorded(s, ev, FD_READ);

        Assert.Equal(5, send(c, Bytes("data2"), 5, 0));
        Assert.Equal(FD_READ, WaitForEvents(s, ev, FD_READ).lNetworkEvents);

        var buf = new byte[10];
        Assert.Equal(2, recv(s, buf, 2, 0));
        Assert.Equal(FD_READ, WaitForEvents(s, ev, FD_READ).lNetworkEvents);
    }

    // Mirrors Wine test_read_events ("send data while we're not selecting"): data that arrived under no
    // selection is recorded by the next; data read before the next selection leaves nothing.
    [Fact]
    public void WSAEventSelect_DataArrivedWhileNotSelecting_RecordedBySelection()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, 0));
        Assert.Equal(5, send(c, Bytes("data1"), 5, 0));
        WaitReadable(s);
        Ok(WSAEventSelect(s, ev, FD_READ));
        Assert.Equal(FD_READ, WaitForEvents(s, ev, FD_READ).lNetworkEvents);
        Assert.Equal(5, recv(s, new byte[5], 5, 0));

        Ok(WSAEventSelect(s, ev, 0));
        Assert.Equal(5, send(c, Bytes("data2"), 5, 0));
        WaitReadable(s);
        Assert.Equal(5, recv(s, new byte[5], 5, 0));
        Ok(WSAEventSelect(s, ev, FD_READ));
        AssertNotRecorded(s, ev, FD_READ);
    }

    // Mirrors Wine test_close_events ("trigger RST"): a peer's reset records FD_CLOSE with WSAECONNABORTED; a
    // re-selection records nothing more.
    [Fact]
    public void WSAEventSelect_FdClose_PeerReset_WSAECONNABORTED()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ));
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));
        var ne = WaitForEvents(s, ev, FD_CLOSE);
        Assert.Equal(FD_CLOSE, ne.lNetworkEvents);
        Assert.Equal(WSAECONNABORTED, ne.iErrorCode[FD_CLOSE_BIT]);
        Ok(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ));
        AssertNotRecorded(s, ev, FD_CLOSE);
    }

    // Mirrors Wine test_close_events (window half of "trigger RST").
    [Fact]
    public void WSAAsyncSelect_FdClose_PeerReset_WSAECONNABORTED()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ | FD_CLOSE));
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));
        var (msg, _) = WaitForMessage(hwnd, s, FD_CLOSE);
        Assert.Equal(WSAECONNABORTED, WSAGETSELECTERROR(msg.lParam));
    }

    // Mirrors Wine test_close_events ("test closesocket()"): FD_CLOSE taken; re-selection records nothing;
    // recv then returns 0 and records nothing.
    [Fact]
    public void WSAEventSelect_FdCloseTaken_ReselectSilent_RecvZero()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ));
        Ok(closesocket(c));
        Assert.Equal(FD_CLOSE, WaitForEvents(s, ev, FD_CLOSE).lNetworkEvents);
        Ok(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ));
        AssertNotRecorded(s, ev, All);
        Assert.Equal(0, recv(s, new byte[5], 5, 0));
        AssertNotRecorded(s, ev, All);
    }
}
