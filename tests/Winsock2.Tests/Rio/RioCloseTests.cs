using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>closesocket with Registered I/O outstanding: every request completes with WSA_OPERATION_ABORTED.</summary>
public class RioCloseTests : RioTest
{
    [Theory]
    [InlineData(SOCK_STREAM)]
    [InlineData(SOCK_DGRAM)]
    public void Closesocket_OutstandingRequests_AbortedInOrder(int type)
    {
        SOCKET s, other = SOCKET.Invalid;
        if (type == SOCK_STREAM) (other, s) = RioTcpPair();
        else s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t, 16);
        var rq = Rq(t, s, cq, 4, 4, context: 42);
        var id = Register(t, new byte[64]);
        for (int i = 0; i < 3; i++) Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)i * 8, 8), 1, 0, 10 + i));
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 32, 8), 1, RIO_MSG_DEFER, 20)); // deferred, never committed
        Ok(closesocket(s));
        var all = Dequeue(t, cq, 4);
        Assert.All(all, r => Assert.Equal((WSA_OPERATION_ABORTED, 0u, 42ul), (r.Status, r.BytesTransferred, r.SocketContext)));
        Assert.Equal([10ul, 11ul, 12ul, 20ul], all.Select(r => r.RequestContext).Order());
        Assert.Equal([10ul, 11ul, 12ul], all.Select(r => r.RequestContext).Where(x => x < 20));
        Assert.Equal(0u, t.RIODequeueCompletion!(cq, new RIORESULT[4], 4)); // one result per request
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, 0, 1)); // the queue went with its socket
        if (other.IsValid) closesocket(other);
    }
}
