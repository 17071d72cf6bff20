using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>RIOCreateRequestQueue and RIOResizeRequestQueue: the socket, the limits and the completion queues' room.</summary>
public class RioRequestQueueTests : RioTest
{
    [Theory]
    [InlineData(SOCK_STREAM)]
    [InlineData(SOCK_DGRAM)]
    public void RIOCreateRequestQueue_SocketWithoutRegisteredIoFlag_WSAEINVAL(int type)
    {
        var s = Check(WSASocket(AF_INET, type, 0, null, 0, WSA_FLAG_OVERLAPPED));
        var t = Table(s);
        var cq = Cq(t);
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 4, 1, 4, 1, cq, cq, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOCreateRequestQueue_BothLimitsZero_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 0, 1, 0, 1, cq, cq, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOCreateRequestQueue_InvalidCompletionQueue_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 4, 1, 4, 1, null!, cq, 0));
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 4, 1, 4, 1, cq, null!, 0));
        closesocket(s);
    }

    [Theory]
    [InlineData(2u, 1u)]
    [InlineData(1u, 0u)]
    [InlineData(0u, 1u)]
    public void RIOCreateRequestQueue_DataBuffersOtherThanOne_WSAEINVAL(uint receiveBuffers, uint sendBuffers)
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 4, receiveBuffers, 4, sendBuffers, cq, cq, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOCreateRequestQueue_NotASocket_WSAENOTSOCK()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        FailsWith(WSAENOTSOCK, t.RIOCreateRequestQueue!(new SOCKET(0x7FFF_FFF0), 4, 1, 4, 1, cq, cq, 0));
        closesocket(s);
        FailsWith(WSAENOTSOCK, t.RIOCreateRequestQueue!(s, 4, 1, 4, 1, cq, cq, 0)); // closed
    }

    [Fact]
    public void RIOCreateRequestQueue_SecondQueueOnSocket_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        Rq(t, s, cq, 2, 2);
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 2, 1, 2, 1, cq, cq, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOCreateRequestQueue_CompletionQueueTooSmall_WSAENOBUFS()
    {
        var a = RioUdp(out _);
        var b = RioUdp(out _);
        var t = Table(a);
        var cq = Cq(t, 8);
        FailsWith(WSAENOBUFS, t.RIOCreateRequestQueue!(a, 5, 1, 4, 1, cq, cq, 0)); // 9 outstanding into 8 entries
        Rq(t, a, cq, 4, 2);
        FailsWith(WSAENOBUFS, t.RIOCreateRequestQueue!(b, 2, 1, 1, 1, cq, cq, 0)); // 6 + 3 > 8
        Rq(t, b, cq, 1, 1);
        closesocket(a);
        closesocket(b);
    }

    [Fact]
    public void RIOCreateRequestQueue_ClosedSocketGivesRoomBack()
    {
        var a = RioUdp(out _);
        var t = Table(a);
        var cq = Cq(t, 8);
        Rq(t, a, cq, 4, 4);
        closesocket(a);
        var b = RioUdp(out _);
        Rq(t, b, cq, 4, 4);
        closesocket(b);
    }

    [Fact]
    public void RIOResizeRequestQueue_InvalidQueueOrBothZero_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        FailsWith(WSAEINVAL, t.RIOResizeRequestQueue!(rq, 0, 0));
        FailsWith(WSAEINVAL, t.RIOResizeRequestQueue!(null!, 1, 1));
        closesocket(s);
    }

    [Fact]
    public void RIOResizeRequestQueue_BeyondCompletionQueue_WSAENOBUFS()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t, 16), 4, 4);
        FailsWith(WSAENOBUFS, t.RIOResizeRequestQueue!(rq, 10, 7));
        Assert.True(t.RIOResizeRequestQueue!(rq, 10, 6));
        closesocket(s);
    }

    [Fact]
    public void RIOResizeRequestQueue_BelowOutstanding_WSAETOOMANYREFS_GrowAllowsMore()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t, 64), 2, 1);
        var id = Register(t, new byte[64]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 16, 16), 1, 0, 2));
        FailsWith(WSAENOBUFS, t.RIOReceive!(rq, new RIO_BUF(id, 32, 16), 1, 0, 3));
        FailsWith(WSAETOOMANYREFS, t.RIOResizeRequestQueue!(rq, 1, 1));
        Assert.True(t.RIOResizeRequestQueue!(rq, 3, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 32, 16), 1, 0, 3));
        closesocket(s);
    }
}
