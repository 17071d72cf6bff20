using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>RIO_MSG_DEFER and RIO_MSG_COMMIT_ONLY: deferred requests wait for a request without DEFER or a commit.</summary>
public class RioDeferTests : RioTest
{
    /// <summary>A nonblocking recv on the peer: what it returns, and WSAEWOULDBLOCK when nothing is there.</summary>
    private static int Peek(SOCKET peer, out int error)
    {
        uint nonblocking = 1;
        Ok(ioctlsocket(peer, FIONBIO, ref nonblocking));
        int n = recv(peer, new byte[64], 64, 0);
        error = n < 0 ? WSAGetLastError() : 0;
        nonblocking = 0;
        Ok(ioctlsocket(peer, FIONBIO, ref nonblocking));
        return n;
    }

    [Fact]
    public void RIOSend_Deferred_NothingSentUntilCommitFromAnotherThread()
    {
        var (c, s) = RioTcpPair();
        var t = Table(c);
        var cq = Cq(t, 16);
        var rq = Rq(t, c, cq, 1, 8);
        var id = Register(t, Bytes("aabbccdd"));
        for (int i = 0; i < 4; i++) Assert.True(t.RIOSend!(rq, new RIO_BUF(id, (uint)i * 2, 2), 1, RIO_MSG_DEFER, i));
        Assert.Equal(0u, t.RIODequeueCompletion!(cq, new RIORESULT[4], 4)); // a poll does not start deferred sends
        Assert.Equal(SOCKET_ERROR, Peek(s, out int error));
        Assert.Equal(WSAEWOULDBLOCK, error);
        Run(() => Assert.True(t.RIOSend!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0))).Join();
        Assert.Equal("aabbccdd", Text(RecvAll(s, 8), 8));
        Assert.Equal([0ul, 1ul, 2ul, 3ul], Dequeue(t, cq, 4).Select(r => r.RequestContext));
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOSend_Deferred_SentWithTheNextRequestWithoutDefer()
    {
        var (c, s) = RioTcpPair();
        var t = Table(c);
        var cq = Cq(t, 16);
        var rq = Rq(t, c, cq, 1, 8);
        var id = Register(t, Bytes("abcdef"));
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 0, 2), 1, RIO_MSG_DEFER, 1));
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 2, 2), 1, RIO_MSG_DEFER, 2));
        Assert.Equal(SOCKET_ERROR, Peek(s, out int error));
        Assert.Equal(WSAEWOULDBLOCK, error);
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 4, 2), 1, 0, 3));
        Assert.Equal("abcdef", Text(RecvAll(s, 6), 6));
        Assert.Equal([1ul, 2ul, 3ul], Dequeue(t, cq, 3).Select(r => r.RequestContext));
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_Deferred_NotFilledUntilCommit()
    {
        var s = RioUdp(out var addr);
        var peer = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, RIO_MSG_DEFER, 1));
        Assert.Equal(1, sendto(peer, Bytes("x"), 1, 0, addr, addr.Length)); // on loopback, in the socket's queue on return
        Assert.Equal(0u, t.RIODequeueCompletion!(cq, new RIORESULT[1], 1)); // the poll may not take a deferred receive
        Assert.True(t.RIOReceive!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        Assert.Equal((0, 1u), Dequeue(t, cq, 1).Select(r => (r.Status, r.BytesTransferred)).Single());
        closesocket(peer);
        closesocket(s);
    }
}
