using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>PostQueuedCompletionStatus and CloseHandle.</summary>
public class PostQueuedCompletionStatusTests : IocpTest
{
    [Fact]
    public void PostQueuedCompletionStatus_AnyValues_DequeuedAsPostedInOrder()
    {
        var port = NewPort();
        var ov = new WSAOVERLAPPED();
        Assert.True(PostQueuedCompletionStatus(port, 0, nuint.MaxValue, null));
        Assert.True(PostQueuedCompletionStatus(port, uint.MaxValue, 0, ov));
        var first = Take(port, 0);
        Assert.True(first.Ok);
        Assert.Null(first.Ov);
        Assert.Equal((0u, nuint.MaxValue), (first.Bytes, first.Key));
        var second = Take(port, 0);
        Assert.True(second.Ok);
        Assert.Same(ov, second.Ov);
        Assert.Equal((uint.MaxValue, (nuint)0), (second.Bytes, second.Key));
    }

    [Fact]
    public void PostQueuedCompletionStatus_NotAPort_FalseInvalidHandle()
    {
        var port = NewPort();
        Assert.True(CloseHandle(port));
        Assert.False(PostQueuedCompletionStatus(port, 0, 0, null));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.False(PostQueuedCompletionStatus(INVALID_HANDLE_VALUE, 0, 0, null));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        var s = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Assert.False(PostQueuedCompletionStatus((HANDLE)s, 0, 0, null));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
    }

    [Fact]
    public void GetLastError_IsTheValueWSAGetLastErrorReads()
    {
        Assert.False(CloseHandle(INVALID_HANDLE_VALUE));
        Assert.Equal(ERROR_INVALID_HANDLE, WSAGetLastError());
        WSASetLastError(WSAEWOULDBLOCK);
        Assert.Equal((uint)WSAEWOULDBLOCK, GetLastError());
        SetLastError(WAIT_TIMEOUT);
        Assert.Equal((int)WAIT_TIMEOUT, WSAGetLastError());
    }

    [Fact]
    public void CloseHandle_Port_TrueOnceThenInvalidHandle()
    {
        var port = NewPort();
        Assert.True(PostQueuedCompletionStatus(port, 1, 1, null));
        Assert.True(CloseHandle(port));
        Assert.False(CloseHandle(port));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.False(CloseHandle(INVALID_HANDLE_VALUE));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
    }

    [Fact]
    public void CloseHandle_SocketHandle_FalseInvalidHandleAndSocketStaysOpen()
    {
        var s = Track(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        Assert.False(CloseHandle((HANDLE)s));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        var any = Loopback();
        Ok(bind(s, any, any.Length), "bind on the socket CloseHandle refused");
    }

    [Fact]
    public void CloseHandle_PortOfAssociatedSocket_LaterCompletionsStillFillTheOverlapped()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 1);
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], ov));
        Assert.True(CloseHandle(port));
        Assert.Equal(3, send(c, [1, 2, 3], 3, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out _));
        Assert.Equal(3u, bytes);
    }
}
