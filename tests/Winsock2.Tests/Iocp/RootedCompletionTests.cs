using Winsock2.Tests.Rooted;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>The rooted multipoint provider completes to ports too: a leaf's receive, the root's, and closesocket's aborts.</summary>
public class RootedCompletionTests : RootedTest
{
    private HANDLE? _port;

    private HANDLE Port() => _port ??= CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0)!;

    public override void Dispose()
    {
        if (_port is not null) CloseHandle(_port);
        base.Dispose();
    }

    [Fact]
    public void WSARecv_RootedLeafAssociated_RootMessageCompletesToPort()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Assert.Equal(Port(), CreateIoCompletionPort((HANDLE)leaf, Port(), 31, 0));
        var buf = new byte[64];
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        int rc = WSARecv(leaf, [new WSABUF(buf)], 1, out _, ref flags, ov, null);
        Assert.True(rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, $"rc {rc} error {WSAGetLastError()}");
        SendText(root, "to all leaves");
        Assert.True(GetQueuedCompletionStatus(Port(), out uint bytes, out nuint key, out var got, 10_000), $"error {GetLastError()}");
        Assert.Same(ov, got);
        Assert.Equal((13u, (nuint)31), (bytes, key));
        Assert.Equal("to all leaves", Text(buf, 13));
    }

    [Fact]
    public void WSARecv_RootAssociated_LeafMessageCompletesToPort()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Assert.Equal(Port(), CreateIoCompletionPort((HANDLE)root, Port(), 32, 0));
        var buf = new byte[64];
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        int rc = WSARecv(root, [new WSABUF(buf)], 1, out _, ref flags, ov, null);
        Assert.True(rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, $"rc {rc} error {WSAGetLastError()}");
        SendText(leaf, "up");
        Assert.True(GetQueuedCompletionStatus(Port(), out uint bytes, out nuint key, out var got, 10_000), $"error {GetLastError()}");
        Assert.Same(ov, got);
        Assert.Equal((2u, (nuint)32), (bytes, key));
    }

    [Fact]
    public void Closesocket_RootedLeafWithPendingReceive_CompletesToPortAborted()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Assert.Equal(Port(), CreateIoCompletionPort((HANDLE)leaf, Port(), 33, 0));
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        Assert.Equal(SOCKET_ERROR, WSARecv(leaf, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        Assert.Equal(WSA_IO_PENDING, WSAGetLastError());
        Assert.Equal(0, closesocket(leaf));
        Assert.False(GetQueuedCompletionStatus(Port(), out _, out nuint key, out var got, 10_000));
        Assert.Equal((uint)ERROR_OPERATION_ABORTED, GetLastError());
        Assert.Same(ov, got);
        Assert.Equal((nuint)33, key);
    }
}
