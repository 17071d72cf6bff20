using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>WSAAsyncSelect: the same model as WSAEventSelect, delivered as window messages (SPEC §5).</summary>
public class AsyncSelectTests : EventTest
{
    [Fact]
    public void WSAAsyncSelect_FdRead_PostsMessageWithSocketAndEvent()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));

        var msg = NextMessage(hwnd);
        Assert.Same(hwnd, msg.hwnd);
        Assert.Equal(WM_SOCKET, msg.message);
        Assert.Equal(s.Value, msg.wParam);
        Assert.Equal((nint)FD_READ, msg.lParam); // (0 << 16) | FD_READ
        Assert.Equal(FD_READ, WSAGETSELECTEVENT(msg.lParam));
        Assert.Equal(0, WSAGETSELECTERROR(msg.lParam));
    }

    [Fact]
    public void WSAAsyncSelect_FdConnect_Refused_LParamCarriesErrorInHighWord()
    {
        var target = ClosedPort();
        var c = NewTcp();
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(c, hwnd, WM_SOCKET, FD_CONNECT | FD_WRITE | FD_CLOSE));
        Fails(WSAEWOULDBLOCK, connect(c, target, target.Length));

        var msg = NextMessage(hwnd);
        Assert.Equal(c.Value, msg.wParam);
        Assert.Equal((nint)((WSAECONNREFUSED << 16) | FD_CONNECT), msg.lParam);
        Assert.Equal(FD_CONNECT, WSAGETSELECTEVENT(msg.lParam));
        Assert.Equal(WSAECONNREFUSED, WSAGETSELECTERROR(msg.lParam));
        Assert.False(GetMessage(out _, hwnd, GraceMs), "no FD_WRITE or FD_CLOSE for a connection that never existed");
    }

    [Fact]
    public void WSAAsyncSelect_FdConnect_Success_PostsFdConnectThenFdWrite()
    {
        var (l, addr) = Own(Listen());
        var c = NewTcp();
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(c, hwnd, WM_SOCKET, FD_CONNECT | FD_WRITE));
        Fails(WSAEWOULDBLOCK, connect(c, addr, addr.Length));

        var connected = NextMessage(hwnd);
        Assert.Equal(c.Value, connected.wParam);
        Assert.Equal((nint)FD_CONNECT, connected.lParam);
        var writable = NextMessage(hwnd);
        Assert.Equal(c.Value, writable.wParam);
        Assert.Equal((nint)FD_WRITE, writable.lParam);
        Own(Check(accept(l)));
    }

    [Fact]
    public void WSAAsyncSelect_FdClose_Abortive_PostsWSAECONNABORTED()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ | FD_CLOSE));
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));

        var msg = NextMessage(hwnd);
        Assert.Equal(s.Value, msg.wParam);
        Assert.Equal(FD_CLOSE, WSAGETSELECTEVENT(msg.lParam));
        Assert.Equal(WSAECONNABORTED, WSAGETSELECTERROR(msg.lParam)); // as Windows posts it (Wine test_close_events)
    }

    [Fact]
    public void WSAAsyncSelect_FdClose_Graceful_PostsErrorZero()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ | FD_CLOSE));
        Ok(closesocket(c));

        var msg = NextMessage(hwnd);
        Assert.Equal(s.Value, msg.wParam);
        Assert.Equal((nint)FD_CLOSE, msg.lParam);
    }

    [Fact]
    public void WSAAsyncSelect_FdRead_NoSecondMessageBeforeRecv_ThenPostedAgainWhileDataRemains()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ | FD_OOB));
        Assert.Equal(1, send(c, Bytes("a"), 1, 0));
        Assert.Equal((nint)FD_READ, NextMessage(hwnd).lParam);

        // More data, then an urgent byte: FD_OOB's message comes after anything the new data would post.
        Assert.Equal(3, send(c, Bytes("bcd"), 3, 0));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var (_, before) = WaitForMessage(hwnd, s, FD_OOB);
        Assert.DoesNotContain(before, m => WSAGETSELECTEVENT(m.lParam) == FD_READ);

        var buf = new byte[1];
        Assert.Equal(1, recv(s, buf, 1, 0)); // re-enables; "bcd" remains
        var (again, _) = WaitForMessage(hwnd, s, FD_READ);
        Assert.Equal(0, WSAGETSELECTERROR(again.lParam));
    }

    [Fact]
    public void WSAAsyncSelect_MakesSocketNonblocking_FIONBIO0FailsWithWSAEINVAL()
    {
        var (_, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ));
        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0));
        uint blocking = 0;
        Fails(WSAEINVAL, ioctlsocket(s, FIONBIO, ref blocking));

        Ok(WSAAsyncSelect(s, hwnd, 0, 0)); // lEvent 0 cancels
        Ok(ioctlsocket(s, FIONBIO, ref blocking));
    }

    [Fact]
    public void WSAAsyncSelect_LEventZero_CancelsMessages()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ));
        Ok(WSAAsyncSelect(s, hwnd, 0, 0));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        WaitReadable(s);
        Assert.False(GetMessage(out _, hwnd, GraceMs), "a cancelled selection posts nothing");
    }

    [Fact]
    public void WSAAsyncSelect_AcceptedSocket_InheritsSelection()
    {
        var (l, addr) = Own(Listen());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(l, hwnd, WM_SOCKET, FD_ACCEPT | FD_READ));
        var c = ConnectTo(addr);
        var acceptMsg = NextMessage(hwnd);
        Assert.Equal(l.Value, acceptMsg.wParam);
        Assert.Equal((nint)FD_ACCEPT, acceptMsg.lParam);
        var s = Own(Check(accept(l)));

        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0));
        Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
        var (msg, _) = WaitForMessage(hwnd, s, FD_READ);
        Assert.Equal(WM_SOCKET, msg.message);
        Assert.Equal((nint)FD_READ, msg.lParam);
        Assert.Equal(2, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void WSAEventSelect_ReplacesWSAAsyncSelect()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        var ev = NewEvent();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ));
        Ok(WSAEventSelect(s, ev, FD_READ));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        WaitForEvents(s, ev, FD_READ);
        Assert.False(PeekMessage(out _, hwnd, remove: false), "the window selection was replaced");
    }

    [Fact]
    public void WSAAsyncSelect_ReplacesWSAEventSelect()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Assert.Equal((nint)FD_READ, NextMessage(hwnd).lParam);
        Assert.False(IsSignalled(ev), "the event selection was replaced");
    }

    [Fact]
    public void WSAAsyncSelect_DestroyedWindow_FailsWithWSAEINVAL()
    {
        var (_, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Assert.True(DestroyWindow(hwnd));
        Fails(WSAEINVAL, WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ));
    }
}
