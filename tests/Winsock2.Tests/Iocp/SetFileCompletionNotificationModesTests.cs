using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>SetFileCompletionNotificationModes: FILE_SKIP_COMPLETION_PORT_ON_SUCCESS and its parameter checks.</summary>
public class SetFileCompletionNotificationModesTests : IocpTest
{
    /// <summary>A connected pair whose server side is associated, with <paramref name="n"/> bytes already waiting there.</summary>
    private (SOCKET Client, SOCKET Server, HANDLE Port) PairWithData(int n, byte? modes)
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 1);
        if (modes is { } m) Assert.True(SetFileCompletionNotificationModes(s, m));
        Assert.Equal(n, send(c, new byte[n], n, 0));
        // Wait until the bytes are readable, so the receive below completes inside its call.
        var ready = fd_set.Of(s);
        Assert.Equal(1, select(0, ready, null, null, new timeval { tv_sec = 10 }));
        return (c, s, port);
    }

    [Fact]
    public void SetFileCompletionNotificationModes_SkipOnSuccess_ImmediateSuccessQueuesNothing()
    {
        var (c, s, port) = PairWithData(5, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
        var ov = new WSAOVERLAPPED();
        uint flags = 0;
        Assert.Equal(0, WSARecv(s, [new WSABUF(new byte[8])], 1, out uint got, ref flags, ov, null));
        Assert.Equal(5u, got);
        Assert.Equal(WAIT_TIMEOUT, Take(port, 0).Error);
        // A receive that pends still completes to the port.
        var pending = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], pending));
        Assert.Equal(1, send(c, [1], 1, 0));
        var packet = Take(port);
        Assert.True(packet.Ok);
        Assert.Same(pending, packet.Ov);
    }

    [Fact]
    public void SetFileCompletionNotificationModes_NotSet_ImmediateSuccessIsQueued()
    {
        var (_, s, port) = PairWithData(5, null);
        var ov = new WSAOVERLAPPED();
        uint flags = 0;
        Assert.Equal(0, WSARecv(s, [new WSABUF(new byte[8])], 1, out uint got, ref flags, ov, null));
        Assert.Equal(5u, got);
        var packet = Take(port, 0);
        Assert.True(packet.Ok);
        Assert.Same(ov, packet.Ov);
        Assert.Equal(5u, packet.Bytes);
    }

    [Fact]
    public void SetFileCompletionNotificationModes_SkipSetEventOnHandle_OverlappedEventStillSet()
    {
        var (_, s, port) = PairWithData(2, FILE_SKIP_SET_EVENT_ON_HANDLE);
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = 0;
        Assert.Equal(0, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
        Assert.True(Take(port, 0).Ok); // only FILE_SKIP_COMPLETION_PORT_ON_SUCCESS skips the packet
    }

    [Fact]
    public void SetFileCompletionNotificationModes_UnknownBits_FalseInvalidParameter()
    {
        var s = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Assert.False(SetFileCompletionNotificationModes(s, 0x4));
        Assert.Equal((uint)ERROR_INVALID_PARAMETER, GetLastError());
    }

    [Fact]
    public void SetFileCompletionNotificationModes_NotASocket_FalseInvalidHandle()
    {
        var port = NewPort();
        Assert.False(SetFileCompletionNotificationModes(port, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.False(SetFileCompletionNotificationModes(INVALID_SOCKET, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
    }
}
