using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Recv;

/// <summary>
/// A stream read call after call, each finding its data at once: the provider then stops watching input readiness
/// for the socket. Whatever needs readiness afterwards — a receive that must wait or pend, select, an event selection —
/// must still hear of the data that comes later, and the urgent byte must not be lost.
/// </summary>
public class ReceiveStreakTests : WinsockTest
{
    private const int Streak = 12, Size = 4096;

    /// <summary>Sends <see cref="Streak"/> messages of <see cref="Size"/> bytes and reads each with one recv call or more.</summary>
    private static void ReadStreak(SOCKET c, SOCKET s)
    {
        var all = new byte[Streak * Size];
        Assert.Equal(all.Length, send(c, all, all.Length, 0));
        var buf = new byte[Size];
        for (int i = 0; i < Streak; i++)
        {
            int got = 0;
            while (got < Size)
            {
                int n = recv(s, buf, got, Size - got, 0);
                Assert.True(n > 0, $"recv returned {n} (error {WSAGetLastError()})");
                got += n;
            }
        }
    }

    [Fact]
    public void recv_AfterStreakOfImmediateReads_WaitsForLaterData()
    {
        var (c, s) = TcpPair();
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 60_000));
        ReadStreak(c, s);
        var buf = new byte[8];
        int n = 0;
        var t = Run(() => n = recv(s, buf, buf.Length, 0));
        Eventually(() => t.Sleeping, "the receiver blocked");
        Assert.Equal(5, send(c, Bytes("later"), 5, 0));
        Assert.True(t.Join(30_000), "the blocked recv did not see the data");
        Assert.Equal(5, n);
        Assert.Equal("later", Text(buf, 5));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void recv_BlockedAfterStreakWhenClosedByAnotherThread_WSAEINTR()
    {
        var (c, s) = TcpPair();
        ReadStreak(c, s);
        int rc = 0, error = 0;
        var t = Run(() =>
        {
            rc = recv(s, new byte[16], 16, 0);
            error = WSAGetLastError();
        });
        Eventually(() => t.Sleeping, "the receiver blocked");
        Ok(closesocket(s));
        Assert.True(t.Join(30_000), "closesocket did not end the blocked recv");
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSAEINTR, error);
        closesocket(c);
    }

    [Fact]
    public void recv_BlockedAfterStreakCancelledFromCompletionRoutine_WSAEINTR()
    {
        var (c, s) = TcpPair();
        var (c2, s2) = TcpPair();
        ReadStreak(c, s);
        int rc = 0, error = 0;
        var t = Run(() =>
        {
            uint f = 0;
            WSARecv(s2, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => WSACancelBlockingCall());
            rc = recv(s, new byte[16], 16, 0);
            error = WSAGetLastError();
        });
        Eventually(() => t.Sleeping, "the receiver blocked");
        Assert.Equal(1, send(c2, Bytes("!"), 1, 0)); // the routine runs in the blocked recv and cancels it
        Assert.True(t.Join(30_000), "the routine did not run in the blocked recv");
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSAEINTR, error);
        Assert.Equal(4, send(c, Bytes("next"), 4, 0)); // the cancelled call took nothing
        var buf = new byte[8];
        Assert.Equal(4, recv(s, buf, buf.Length, 0));
        Assert.Equal("next", Text(buf, 4));
        closesocket(c); closesocket(s); closesocket(c2); closesocket(s2);
    }

    [Fact]
    public void recv_AfterStreakWithReceiveTimeout_WSAETIMEDOUT_LaterDataStillArrives()
    {
        var (c, s) = TcpPair();
        ReadStreak(c, s);
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 200));
        Fails(WSAETIMEDOUT, recv(s, new byte[4], 4, 0));
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 60_000));
        Assert.Equal(4, send(c, Bytes("late"), 4, 0));
        var buf = new byte[8];
        Assert.Equal(4, recv(s, buf, buf.Length, 0));
        Assert.Equal("late", Text(buf, 4));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void recv_BlockedAfterStreak_CompletesBeforeAnOverlappedReceivePostedLater()
    {
        // Requests complete in posting order, whoever hands the data over.
        var (c, s) = TcpPair();
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 60_000));
        ReadStreak(c, s);
        var first = new byte[8];
        int n = 0;
        var t = Run(() => n = recv(s, first, first.Length, 0));
        Eventually(() => t.Sleeping, "the receiver blocked");
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        var second = new byte[8];
        uint f = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(second)], 1, out _, ref f, ov, null));
        Assert.Equal(5, send(c, Bytes("first"), 5, 0));
        Assert.True(t.Join(30_000), "the blocked recv did not get the data");
        Assert.Equal(5, n);
        Assert.Equal("first", Text(first, 5));
        Assert.Equal(6, send(c, Bytes("second"), 6, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 30_000, false));
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out _));
        Assert.Equal(6u, bytes);
        Assert.Equal("second", Text(second, 6));
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void recv_UrgentByteRightAfterStreak_StaysForMsgOob()
    {
        // The next read starts at the urgent mark: Linux would skip the byte there, so the provider must take it out first.
        var (c, s) = TcpPair();
        ReadStreak(c, s);
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        Assert.Equal(2, send(c, Bytes("ab"), 2, 0));
        var buf = new byte[8];
        Assert.Equal(2, recv(s, buf, buf.Length, 0));
        Assert.Equal("ab", Text(buf, 2));
        uint on = 1;
        Ok(ioctlsocket(s, FIONBIO, ref on));
        Assert.Equal(1, recv(s, buf, 1, MSG_OOB));
        Assert.Equal("!", Text(buf, 1));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void select_AfterStreakOfImmediateReads_WakesWhenDataComes()
    {
        var (c, s) = TcpPair();
        ReadStreak(c, s);
        int rc = 0;
        var t = Run(() => rc = select(0, fd_set.Of(s), null, null, new timeval { tv_sec = 60 }));
        Eventually(() => t.Sleeping, "select waited");
        Assert.Equal(4, send(c, Bytes("more"), 4, 0));
        Assert.True(t.Join(30_000), "select did not see the data");
        Assert.Equal(1, rc);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_PendingAfterStreakOfImmediateCompletions_CompletesWhenDataComes()
    {
        var (c, s) = TcpPair();
        var all = new byte[Streak * Size];
        Assert.Equal(all.Length, send(c, all, all.Length, 0));
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        var buf = new byte[Size];
        for (long got = 0; got < all.Length;)
        {
            uint flags = 0;
            int rc = WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, ov, null);
            Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSARecv failed with {WSAGetLastError()}");
            Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 30_000, false));
            Assert.True(WSAGetOverlappedResult(s, ov, out uint n, false, out _));
            Assert.True(n > 0, "the connection closed");
            got += n;
            WSAResetEvent(ev);
        }
        uint f = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(buf)], 1, out _, ref f, ov, null));
        Assert.Equal(5, send(c, Bytes("later"), 5, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 30_000, false));
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out _));
        Assert.Equal(5u, bytes);
        Assert.Equal("later", Text(buf, 5));
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSAEventSelect_AfterStreakOfImmediateReads_RecordsFD_READForLaterData()
    {
        var (c, s) = TcpPair();
        ReadStreak(c, s);
        var ev = WSACreateEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        Assert.Equal(4, send(c, Bytes("more"), 4, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 30_000, false));
        var ne = new WSANETWORKEVENTS();
        Ok(WSAEnumNetworkEvents(s, ev, ne));
        Assert.NotEqual(0, ne.lNetworkEvents & FD_READ);
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }
}
