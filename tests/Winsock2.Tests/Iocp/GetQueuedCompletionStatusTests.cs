using Winsock2.Kernel;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>GetQueuedCompletionStatus: what it returns for a success, a failure, a timeout and a closed port.</summary>
public class GetQueuedCompletionStatusTests : IocpTest
{
    [Fact]
    public void GetQueuedCompletionStatus_NothingQueued_FalseWaitTimeoutNullOverlapped()
    {
        var port = NewPort();
        Assert.False(GetQueuedCompletionStatus(port, out _, out _, out var ov, 0));
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
        Assert.Null(ov);
        Assert.False(GetQueuedCompletionStatus(port, out _, out _, out ov, 20));
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
        Assert.Null(ov);
    }

    [Fact]
    public void GetQueuedCompletionStatus_SuccessfulReceive_TrueWithBytesKeyAndOverlapped()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 11);
        var buf = new byte[32];
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        Fails(WSA_IO_PENDING, PostRecv(s, buf, ov));
        Assert.Equal(4, send(c, Bytes("data"), 4, 0));
        var got = Take(port);
        Assert.True(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal((4u, (nuint)11), (got.Bytes, got.Key));
        Assert.Equal("data", Text(buf, 4));
        // The structure is filled and the event set as without a port: WSAGetOverlappedResult still answers.
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out uint flags));
        Assert.Equal((4u, 0u), (bytes, flags));
    }

    [Fact]
    public void GetQueuedCompletionStatus_SendCompletes_TrueWithBytesSent()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(c, port, 5);
        var ov = new WSAOVERLAPPED();
        int rc = WSASend(c, [new WSABUF(Bytes("sent"))], 1, out _, 0, ov, null);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
        var got = Take(port);
        Assert.True(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal(4u, got.Bytes);
    }

    [Fact]
    public void GetQueuedCompletionStatus_OperationAbortedByClosesocket_FalseOperationAbortedWithOverlapped()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c);
        Associate(s, port, 9);
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], ov));
        Ok(closesocket(s));
        var got = Take(port);
        Assert.False(got.Ok);
        Assert.Equal((uint)ERROR_OPERATION_ABORTED, got.Error);
        Assert.Same(ov, got.Ov);
        Assert.Equal((nuint)9, got.Key);
        Assert.Equal(0u, got.Bytes);
        Assert.Equal((uint)WSA_OPERATION_ABORTED, ov.OffsetHigh);
        Assert.False(ov.IsPending);
    }

    [Fact]
    public void GetQueuedCompletionStatus_ConnectionReset_FalseNetnameDeleted_OverlappedResultConnReset()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(s);
        Associate(s, port, 1);
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], ov));
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 })); // closesocket resets
        Ok(closesocket(c));
        var got = Take(port);
        Assert.False(got.Ok);
        Assert.Equal((uint)ERROR_NETNAME_DELETED, got.Error);
        Assert.Same(ov, got.Ov);
        Assert.False(WSAGetOverlappedResult(s, ov, out _, false, out _));
        Assert.Equal(WSAECONNRESET, WSAGetLastError());
    }

    [Fact]
    public void GetQueuedCompletionStatus_Infinite_ReturnsWhenAPacketArrives()
    {
        var port = NewPort();
        Assert.True(CompletionPort.TryGet(port, out var p));
        (bool Ok, uint Bytes, nuint Key, WSAOVERLAPPED? Ov, uint Error) got = default;
        var waiter = Run(() => got = Take(port, INFINITE));
        Eventually(() => p.WaitingCount == 1, "the waiter to wait");
        var ov = new WSAOVERLAPPED();
        Assert.True(PostQueuedCompletionStatus(port, 3, 4, ov));
        Assert.True(waiter.Join(10_000));
        Assert.True(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal((3u, (nuint)4), (got.Bytes, got.Key));
    }

    [Fact]
    public void GetQueuedCompletionStatus_PortClosedWhileWaiting_FalseAbandonedWait0()
    {
        var port = NewPort();
        Assert.True(CompletionPort.TryGet(port, out var p));
        (bool Ok, uint Bytes, nuint Key, WSAOVERLAPPED? Ov, uint Error) got = default;
        var waiter = Run(() => got = Take(port, INFINITE));
        Eventually(() => p.WaitingCount == 1, "the waiter to wait");
        Assert.True(CloseHandle(port));
        Assert.True(waiter.Join(10_000));
        Assert.False(got.Ok);
        Assert.Equal((uint)ERROR_ABANDONED_WAIT_0, got.Error);
        Assert.Null(got.Ov);
    }

    [Fact]
    public void GetQueuedCompletionStatus_ClosedOrBogusPort_FalseInvalidHandle()
    {
        var port = NewPort();
        Assert.True(CloseHandle(port));
        Assert.False(GetQueuedCompletionStatus(port, out _, out _, out var ov, 0));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.Null(ov);
        var s = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Assert.False(GetQueuedCompletionStatus((HANDLE)s, out _, out _, out _, 0));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.False(GetQueuedCompletionStatus(INVALID_HANDLE_VALUE, out _, out _, out _, 0));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
    }

    [Fact]
    public void GetQueuedCompletionStatus_CompletionRoutineGiven_RoutineRunsAndNoPacketIsQueued()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 1);
        int ran = 0;
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, new WSAOVERLAPPED(), (e, n, o, f) => ran++));
        Assert.Equal(1, send(c, [1], 1, 0));
        var deadline = Environment.TickCount64 + 10_000;
        while (ran == 0 && Environment.TickCount64 < deadline) SleepEx(100, true);
        Assert.Equal(1, ran);
        Assert.Equal(WAIT_TIMEOUT, Take(port, 0).Error);
    }

    [Fact]
    public void GetQueuedCompletionStatus_EventLowBitSet_EventSetAndNoPacketQueued()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 1);
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = new WSAEVENT(ev.Value | 1) };
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], ov));
        Assert.Equal(2, send(c, [1, 2], 2, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out _));
        Assert.Equal(2u, bytes);
        Assert.Equal(WAIT_TIMEOUT, Take(port, 0).Error);
    }
}
