using Winsock2.Tests.Events;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// Urgent data under event selection (Wine's test_oob_events), overlapped results (test_WSARecv's reset case),
/// and the failed nonblocking connect (test_select / test_WSAPoll's failed-connection block), as Windows records them.
/// </summary>
public sealed class OobOverlappedPeerTests : EventTest
{
    private const int Mask = FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ;

    // Mirrors Wine test_oob_events (event half): an urgent byte records FD_OOB once; re-selecting with the same
    // mask, or via 0, records nothing; recv MSG_OOB gets the byte.
    [Fact]
    public void WSAEventSelect_FdOob_RecordedOnceReselectSilent()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, Mask));
        AssertNotRecorded(s, ev, Mask);
        Assert.Equal(1, send(c, Bytes("a"), 1, MSG_OOB));
        Assert.Equal(FD_OOB, WaitForEvents(s, ev, FD_OOB).lNetworkEvents);
        AssertNotRecorded(s, ev, Mask);
        Ok(WSAEventSelect(s, ev, Mask));
        AssertNotRecorded(s, ev, Mask);
        Ok(WSAEventSelect(s, ev, 0));
        Ok(WSAEventSelect(s, ev, Mask));
        AssertNotRecorded(s, ev, Mask);
        var b = new byte[1];
        Assert.Equal(1, recv(s, b, 1, MSG_OOB));
        Assert.Equal((byte)'a', b[0]);
    }

    // Mirrors Wine test_oob_events (window half): re-selecting posts FD_OOB again while the byte waits.
    [Fact]
    public void WSAAsyncSelect_FdOob_ReselectPostsAgain()
    {
        var (c, s) = Own(TcpPair());
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, Mask));
        Assert.Equal(1, send(c, Bytes("a"), 1, MSG_OOB));
        WaitForMessage(hwnd, s, FD_OOB);
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, Mask));
        WaitForMessage(hwnd, s, FD_OOB);
    }

    // Mirrors Wine test_oob_events ("send data while we're not selecting"): an urgent byte that came while the
    // selection was 0 is recorded by the next selection, and recv MSG_OOB gets it.
    [Fact]
    public void WSAEventSelect_FdOob_ArrivedWhileNotSelecting_RecordedBySelection()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, 0));
        Assert.Equal(1, send(c, Bytes("a"), 1, MSG_OOB));
        Eventually(() => select(0, null, null, fd_set.Of(s), new timeval()) == 1, "urgent byte arrived");
        Ok(WSAEventSelect(s, ev, Mask));
        Assert.Equal(FD_OOB, WaitForEvents(s, ev, FD_OOB).lNetworkEvents & FD_OOB);
        Assert.Equal(1, recv(s, new byte[1], 1, MSG_OOB));
    }

    // Mirrors Wine test_WSARecv (close_with_rst): a pending overlapped WSARecv ends when the peer resets;
    // WSAGetOverlappedResult is FALSE with WSAECONNRESET (ERROR_NETNAME_DELETED in Windows' Win32 terms) and 0 bytes.
    [Fact]
    public void WSAGetOverlappedResult_PendingRecvPeerReset_WSAECONNRESETZeroBytes()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[20])], 1, out _, ref flags, ov, null));
        Assert.False(WSAGetOverlappedResult(s, ov, out _, false, out _));
        Assert.Equal(WSA_IO_INCOMPLETE, WSAGetLastError());
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));
        Assert.True(IsSignalled(ev, WaitMs), "the reset did not complete the receive");
        Assert.False(WSAGetOverlappedResult(s, ov, out uint bytes, false, out uint outFlags));
        Assert.Equal(WSAECONNRESET, WSAGetLastError());
        Assert.Equal(0u, bytes);
        Assert.Equal(0u, outFlags);
    }

    // Mirrors Wine test_WSARecv / test_write_watch (GetOverlappedResult with fWait after the data came): TRUE, the
    // byte count, flags 0; asked again, the same answer.
    [Fact]
    public void WSAGetOverlappedResult_AfterCompletion_SameAnswerEveryTime()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[5]), new WSABUF(new byte[16])], 2, out _, ref flags, ov, null));
        Assert.Equal(13, send(c, Bytes("test message\0"), 13, 0));
        for (int i = 0; i < 2; i++)
        {
            Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, true, out uint outFlags));
            Assert.Equal(13u, bytes);
            Assert.Equal(0u, outFlags);
        }
    }

    // Mirrors Wine test_WSAPoll's failed-connection block (and Microsoft's select page): a refused nonblocking
    // connect shows in exceptfds, not in writefds; SO_ERROR says WSAECONNREFUSED, and says it again.
    [Fact]
    public void select_FailedNonblockingConnect_InExceptfdsSoErrorRefusedTwice()
    {
        var s = NewTcp();
        SetNonBlocking(s);
        var to = ClosedPort();
        int rc = connect(s, to, to.Length);
        if (rc != 0) Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
        var w = fd_set.Of(s);
        var e = fd_set.Of(s);
        Assert.Equal(1, select(0, null, w, e, new timeval { tv_sec = 10 }));
        Assert.Equal(0u, w.fd_count);
        Assert.Equal(1u, e.fd_count);
        Assert.Equal(WSAECONNREFUSED, SoError(s));
        Assert.Equal(WSAECONNREFUSED, SoError(s));
    }

    // Mirrors Wine test_accept (nonblocking listener): nothing pending is WSAEWOULDBLOCK; once a connection
    // waits, accept returns it.
    [Fact]
    public void accept_NonblockingNothingPending_WSAEWOULDBLOCKThenAccepts()
    {
        var (l, addr) = Own(Listen());
        SetNonBlocking(l);
        Fails(WSAEWOULDBLOCK, accept(l));
        ConnectTo(addr);
        SOCKET a = SOCKET.Invalid;
        Eventually(() => (a = accept(l)).IsValid, "the connection is accepted");
        Own(a);
    }

    private static int SoError(SOCKET s)
    {
        Ok(getsockopt(s, SOL_SOCKET, SO_ERROR, out int v));
        return v;
    }
}
