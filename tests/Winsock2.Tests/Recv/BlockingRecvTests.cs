using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Recv;

/// <summary>
/// recv on a blocking stream socket (the path that reads straight into the caller's buffer): what it must keep of the
/// queued path — interruption by closesocket, the connection's error on every later call, the urgent mark, timeouts.
/// </summary>
public class BlockingRecvTests : WinsockTest
{
    [Fact]
    public void recv_BlockedWhenClosedByAnotherThread_WSAEINTR()
    {
        var (c, s) = TcpPair();
        int rc = 0, error = 0;
        var t = Run(() =>
        {
            rc = recv(s, new byte[16], 16, 0);
            error = WSAGetLastError();
        });
        Eventually(() => t.Sleeping, "the receiver blocked");
        Ok(closesocket(s));
        Assert.True(t.Join(10_000));
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSAEINTR, error);
        closesocket(c);
    }

    [Fact]
    public void recv_AfterAbortiveClose_WSAECONNRESETOnEveryCall()
    {
        var (c, s) = TcpPair();
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));
        var buf = new byte[8];
        Fails(WSAECONNRESET, recv(s, buf, buf.Length, 0));
        Fails(WSAECONNRESET, recv(s, buf, buf.Length, 0)); // the reset stays the connection's error
        closesocket(s);
    }

    [Fact]
    public void recv_DataThenAbortiveClose_DataFirstThenWSAECONNRESET()
    {
        var (c, s) = TcpPair();
        Assert.Equal(4, send(c, Bytes("last"), 4, 0));
        var buf = new byte[4];
        Assert.Equal(4, recv(s, buf, 4, 0)); // read before the reset arrives
        Assert.Equal("last", Text(buf, 4));
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        Ok(closesocket(c));
        Fails(WSAECONNRESET, recv(s, buf, buf.Length, 0));
        closesocket(s);
    }

    [Fact]
    public void recv_ShortReadUpToTheUrgentMark_NextReadDoesNotReturnTheUrgentByte()
    {
        // Without SO_OOBINLINE the urgent byte is not normal data: a read that stopped short (at the mark) makes the
        // next one look for urgent data first, so the kernel cannot drop the byte behind the application's back.
        var (c, s) = TcpPair();
        Assert.Equal(2, send(c, Bytes("ab"), 2, 0));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var except = fd_set.Of(s);
        Assert.Equal(1, select(0, null, null, except, new timeval { tv_sec = 5 }));
        var buf = new byte[8];
        Assert.Equal(2, recv(s, buf, buf.Length, 0)); // short: up to the mark
        Assert.Equal("ab", Text(buf, 2));
        uint on = 1;
        Ok(ioctlsocket(s, FIONBIO, ref on));
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0));
        Assert.Equal(1, recv(s, buf, 1, MSG_OOB));
        Assert.Equal("!", Text(buf, 1));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void recv_DataWaitingWithReceiveTimeout_ReturnsTheDataAtOnce()
    {
        var (c, s) = TcpPair();
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 60_000));
        Assert.Equal(5, send(c, Bytes("ready"), 5, 0));
        var buf = new byte[5];
        int n = 0;
        var t = Run(() => n = recv(s, buf, 5, 0));
        Assert.True(t.Join(30_000)); // far below the timeout: the data was there, nothing waited for it
        Assert.Equal(5, n);
        Assert.Equal("ready", Text(buf, 5));
        closesocket(c); closesocket(s);
    }
}
