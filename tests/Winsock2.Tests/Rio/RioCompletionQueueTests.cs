using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>RIOCreateCompletionQueue, RIOResizeCompletionQueue, RIOCloseCompletionQueue and RIODequeueCompletion.</summary>
public class RioCompletionQueueTests : RioTest
{
    [Theory]
    [InlineData(0u)]
    [InlineData(RIO_MAX_CQ_SIZE + 1)]
    public void RIOCreateCompletionQueue_SizeOutOfRange_WSAEINVAL(uint size)
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        FailsWith(WSAEINVAL, t.RIOCreateCompletionQueue!(size, null));
    }

    [Fact]
    public void RIOCreateCompletionQueue_IocpWithoutOverlapped_WSAEINVAL()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        var port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0)!;
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_IOCP_COMPLETION };
        n.Iocp.IocpHandle = port;
        n.Iocp.CompletionKey = 1;
        FailsWith(WSAEINVAL, t.RIOCreateCompletionQueue!(8, n));
        CloseHandle(port);
    }

    [Fact]
    public void RIOCreateCompletionQueue_UnknownTypeOrNoEvent_WSAEINVAL()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        FailsWith(WSAEINVAL, t.RIOCreateCompletionQueue!(8, new RIO_NOTIFICATION_COMPLETION { Type = 3 }));
        FailsWith(WSAEINVAL, t.RIOCreateCompletionQueue!(8, new RIO_NOTIFICATION_COMPLETION { Type = RIO_EVENT_COMPLETION }));
    }

    [Fact]
    public void RIODequeueCompletion_Empty_ReturnsZero()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        Assert.Equal(0u, t.RIODequeueCompletion!(Cq(t), new RIORESULT[4], 4));
    }

    [Fact]
    public void RIODequeueCompletion_InvalidOrClosedQueue_RIO_CORRUPT_CQ()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        Assert.Equal(RIO_CORRUPT_CQ, t.RIODequeueCompletion!(null!, new RIORESULT[4], 4));
        var cq = Cq(t);
        t.RIOCloseCompletionQueue!(cq);
        Assert.Equal(RIO_CORRUPT_CQ, t.RIODequeueCompletion!(cq, new RIORESULT[4], 4));
    }

    [Fact]
    public void RIODequeueCompletion_ArraySizeBeyondArray_RIO_CORRUPT_CQ()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        Assert.Equal(RIO_CORRUPT_CQ, t.RIODequeueCompletion!(Cq(t), new RIORESULT[2], 3));
    }

    [Fact]
    public void RIOCloseCompletionQueue_LaterUse_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        t.RIOCloseCompletionQueue!(cq);
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 1, 1, 1, 1, cq, cq, 0));
        FailsWith(WSAEINVAL, t.RIOResizeCompletionQueue!(cq, 16));
        Assert.Equal(WSAEINVAL, t.RIONotify!(cq));
        closesocket(s);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(RIO_MAX_CQ_SIZE + 1)]
    public void RIOResizeCompletionQueue_SizeOutOfRange_WSAEINVAL(uint size)
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        FailsWith(WSAEINVAL, t.RIOResizeCompletionQueue!(Cq(t), size));
        FailsWith(WSAEINVAL, t.RIOResizeCompletionQueue!(null!, 8));
    }

    [Fact]
    public void RIOResizeCompletionQueue_BelowCommitments_WSAETOOMANYREFS()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t, 16);
        Rq(t, s, cq, 4, 4);
        FailsWith(WSAETOOMANYREFS, t.RIOResizeCompletionQueue!(cq, 7));
        Assert.True(t.RIOResizeCompletionQueue!(cq, 8));
        closesocket(s);
    }

    [Fact]
    public void RIOResizeCompletionQueue_BelowContent_WSAETOOMANYREFS_GrowKeepsResults()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t, 8);
        var rq = Rq(t, s, cq, 4, 1);
        var id = Register(t, new byte[64]);
        for (int i = 0; i < 4; i++) Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)i * 16, 16), 1, 0, 20 + i));
        closesocket(s); // the four receives complete (aborted) into the queue; the request queue's commitment ends
        FailsWith(WSAETOOMANYREFS, t.RIOResizeCompletionQueue!(cq, 3));
        Assert.True(t.RIOResizeCompletionQueue!(cq, 4));
        Assert.True(t.RIOResizeCompletionQueue!(cq, 32));
        var all = Dequeue(t, cq, 4);
        Assert.Equal([20ul, 21ul, 22ul, 23ul], all.Select(r => r.RequestContext));
        Assert.All(all, r => Assert.Equal(WSA_OPERATION_ABORTED, r.Status));
    }
}
