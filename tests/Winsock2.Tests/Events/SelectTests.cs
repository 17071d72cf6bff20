using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>select: readiness of TCP and UDP sockets, timeouts and argument errors.</summary>
public class SelectTests : EventTest
{
    private static timeval Seconds(int s) => new() { tv_sec = s };
    private static timeval Poll() => new() { tv_sec = 0, tv_usec = 0 };

    [Fact]
    public void select_ZeroTimeout_Polls_NothingReadyReturnsZeroAndEmptiesSets()
    {
        var (_, s) = Own(TcpPair());
        var read = fd_set.Of(s);
        var except = fd_set.Of(s);
        Assert.Equal(0, select(0, read, null, except, Poll()));
        Assert.Equal(0u, read.fd_count);
        Assert.Equal(0u, except.fd_count);
    }

    [Fact]
    public void select_Readable_WhenDataArrives()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        var read = fd_set.Of(s);
        Assert.Equal(1, select(0, read, null, null, Seconds(5)));
        Assert.True(FD_ISSET(s, read));
        Assert.Equal(1u, read.fd_count);
    }

    [Fact] // Windows reports and counts a socket listed twice in one set once
    public void select_SocketListedTwiceInOneSet_ReportedAndCountedOnce()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        var read = new fd_set { fd_count = 2 };
        read.fd_array[0] = s;
        read.fd_array[1] = s; // as a C program can write it, past FD_SET's own check
        Assert.Equal(1, select(0, read, null, null, Seconds(5)));
        Assert.Equal(1u, read.fd_count);
        Assert.Equal(s, read.fd_array[0]);
    }

    [Fact]
    public void select_Readable_UdpDatagramWaiting()
    {
        var (a, _, b, bAddr) = Own(UdpPair());
        Assert.Equal(2, sendto(a, Bytes("hi"), 2, 0, bAddr, bAddr.Length));
        var read = fd_set.Of(a, b);
        Assert.Equal(1, select(0, read, null, null, Seconds(5)));
        Assert.True(FD_ISSET(b, read));
        Assert.False(FD_ISSET(a, read));
    }

    [Fact]
    public void select_Readable_ListenerWithPendingConnection()
    {
        var (l, addr) = Own(Listen());
        var read = fd_set.Of(l);
        Assert.Equal(0, select(0, read, null, null, Poll()));
        ConnectTo(addr);
        read = fd_set.Of(l);
        Assert.Equal(1, select(0, read, null, null, Seconds(5)));
        Assert.True(FD_ISSET(l, read));
        Own(Check(accept(l)));
    }

    [Fact]
    public void select_Readable_OnGracefulClose_RecvThenReturnsZero()
    {
        var (c, s) = Own(TcpPair());
        Ok(closesocket(c));
        var read = fd_set.Of(s);
        Assert.Equal(1, select(0, read, null, null, Seconds(5)));
        Assert.True(FD_ISSET(s, read));
        var buf = new byte[4];
        Assert.Equal(0, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void select_Writable_AfterNonblockingConnect()
    {
        var (l, addr) = Own(Listen());
        var c = NewTcp();
        SetNonBlocking(c);
        Fails(WSAEWOULDBLOCK, connect(c, addr, addr.Length));
        var write = fd_set.Of(c);
        var except = fd_set.Of(c);
        Assert.Equal(1, select(0, null, write, except, Seconds(5)));
        Assert.True(FD_ISSET(c, write));
        Assert.Equal(0u, except.fd_count);
        Own(Check(accept(l)));
    }

    [Fact]
    public void select_Writable_ConnectedSocket()
    {
        var (c, _) = Own(TcpPair());
        var write = fd_set.Of(c);
        Assert.Equal(1, select(0, null, write, null, Poll()));
        Assert.True(FD_ISSET(c, write));
    }

    [Fact]
    public void select_Exceptfds_FailedNonblockingConnect_SoErrorIsWSAECONNREFUSED()
    {
        var target = ClosedPort();
        var c = NewTcp();
        SetNonBlocking(c);
        Fails(WSAEWOULDBLOCK, connect(c, target, target.Length));
        var write = fd_set.Of(c);
        var except = fd_set.Of(c);
        Assert.Equal(1, select(0, null, write, except, Seconds(5)));
        Assert.True(FD_ISSET(c, except));
        Assert.Equal(0u, write.fd_count); // a failed connect is never writable
        Ok(getsockopt(c, SOL_SOCKET, SO_ERROR, out int soError));
        Assert.Equal(WSAECONNREFUSED, soError);
    }

    [Fact]
    public void select_Exceptfds_OobDataWithOobInlineOff()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var read = fd_set.Of(s);
        var except = fd_set.Of(s);
        Assert.Equal(1, select(0, read, null, except, Seconds(5)));
        Assert.True(FD_ISSET(s, except));
        Assert.Equal(0u, read.fd_count); // the urgent byte is not normal data
        var buf = new byte[1];
        Assert.Equal(1, recv(s, buf, 1, MSG_OOB));
    }

    [Fact]
    public void select_OobDataWithOobInline_IsReadableNotExceptional()
    {
        var (c, s) = Own(TcpPair());
        Ok(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, 1));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var read = fd_set.Of(s);
        var except = fd_set.Of(s);
        Assert.Equal(1, select(0, read, null, except, Seconds(5)));
        Assert.True(FD_ISSET(s, read));
        Assert.Equal(0u, except.fd_count);
    }

    [Fact]
    public void select_CountsEverySetMembership()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal(1, send(c, Bytes("x"), 1, 0));
        WaitReadable(s);
        var read = fd_set.Of(s);
        var write = fd_set.Of(s);
        Assert.Equal(2, select(0, read, write, null, Poll()));
        Assert.True(FD_ISSET(s, read));
        Assert.True(FD_ISSET(s, write));
    }

    [Fact]
    public void select_Timeval_NothingReady_ReturnsZero()
    {
        var (_, s) = Own(TcpPair());
        var read = fd_set.Of(s);
        Assert.Equal(0, select(0, read, null, null, new timeval { tv_sec = 0, tv_usec = 20_000 }));
        Assert.Equal(0u, read.fd_count);
    }

    [Fact]
    public void select_AllSetsEmpty_FailsWithWSAEINVAL()
    {
        Fails(WSAEINVAL, select(0, new fd_set(), new fd_set(), new fd_set(), Poll()));
        Fails(WSAEINVAL, select(0, null, null, null, Poll()));
    }

    [Fact]
    public void select_NotASocket_FailsWithWSAENOTSOCK()
    {
        Fails(WSAENOTSOCK, select(0, fd_set.Of(new SOCKET(0xBAD0)), null, null, Poll()));

        var (_, s) = Own(TcpPair());
        Fails(WSAENOTSOCK, select(0, fd_set.Of(s, new SOCKET(0xBAD0)), null, null, Poll()));
        Fails(WSAENOTSOCK, select(0, fd_set.Of(s), null, fd_set.Of(new SOCKET(0xBAD0)), Poll()));
    }

    [Fact]
    public void select_ClosedSocket_FailsWithWSAENOTSOCK()
    {
        var c = NewTcp();
        Ok(closesocket(c));
        Fails(WSAENOTSOCK, select(0, fd_set.Of(c), null, null, Poll()));
    }
}
