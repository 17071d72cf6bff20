using Winsock2.Tests.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>
/// The rooted multipoint provider and the extension functions: AcceptEx on a listening c_root admits a leaf (its
/// caller data is the first data) and GetAcceptExSockaddrs reads the addresses; the others are WSAEOPNOTSUPP; WSAPoll
/// works on its sockets.
/// </summary>
public class RootedExtensionTests : RootedTest
{
    [Fact]
    public void WSAIoctl_RootedSocket_MswsockFunctionsWSAEOPNOTSUPP()
    {
        var (root, _) = ListeningRoot();
        foreach (var id in new[] { WSAID_CONNECTEX, WSAID_DISCONNECTEX, WSAID_TRANSMITFILE, WSAID_WSARECVMSG, WSAID_WSASENDMSG })
            Fails(WSAEOPNOTSUPP, WSAIoctl(root, SIO_GET_EXTENSION_FUNCTION_POINTER, id, out Delegate? _, out _, null, null));
        Fails(WSAEINVAL, WSAIoctl(root, SIO_GET_EXTENSION_FUNCTION_POINTER, Guid.NewGuid(), out Delegate? _, out _, null, null));
    }

    [Fact]
    public void WSAPoll_ListeningRootWithJoinWaiting_POLLRDNORM()
    {
        var (root, addr) = ListeningRoot();
        var fds = new[] { new WSAPOLLFD { fd = root, events = POLLIN } };
        Assert.Equal(0, WSAPoll(fds, 1, 0));
        var leaf = NewLeaf();
        var joiner = Run(() => Assert.True(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH).IsValid, $"join: {WSAGetLastError()}"));
        Assert.Equal(1, WSAPoll(fds, 1, -1));
        Assert.Equal(POLLRDNORM, fds[0].revents);
        var handle = Track(Check(accept(root)));
        Assert.True(joiner.Join(20_000), "the join did not finish");
        GC.KeepAlive(handle);
    }

    [Fact]
    public void WSAPoll_RootedAndInetSockets_EachAnsweredByItsProvider()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        var (c, s) = TcpPair();
        SendText(leaf, "to root");
        Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
        var fds = new[]
        {
            new WSAPOLLFD { fd = root, events = POLLIN },
            new WSAPOLLFD { fd = s, events = POLLIN },
        };
        Eventually(() => WSAPoll(fds, 2, 1000) == 2, "both readable", 20_000);
        Assert.Equal(POLLRDNORM, fds[0].revents);
        Assert.Equal(POLLRDNORM, fds[1].revents);
        closesocket(c); closesocket(s);
        GC.KeepAlive(handle);
    }
    private const uint Block = 32;

    [Fact]
    public void AcceptEx_ListeningRoot_AdmitsLeafWithCallerDataAsFirstData()
    {
        var (root, addr) = ListeningRoot();
        Ok(WSAIoctl(root, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? acceptEx, out _, null, null));
        Ok(WSAIoctl(root, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_GETACCEPTEXSOCKADDRS, out LPFN_GETACCEPTEXSOCKADDRS? sockaddrs, out _, null, null));
        var accepted = NewLeaf();
        var buffer = new byte[32 + 2 * Block];
        var ov = new WSAOVERLAPPED { hEvent = NewEvent() };
        Assert.False(acceptEx!(root, accepted, buffer, 32, Block, Block, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        var leaf = NewLeaf();
        var joined = WSAJoinLeaf(leaf, addr, addr.Length, new WSABUF(Bytes("hello root")), null, null, null, JL_BOTH);
        Assert.True(joined.IsValid, $"join failed with {WSAGetLastError()}");
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov.hEvent], false, 20_000, false));
        Assert.True(WSAGetOverlappedResult(root, ov, out uint n, false, out _), $"AcceptEx: {WSAGetLastError()}");
        Assert.Equal(10u, n);
        Assert.Equal("hello root", Text(buffer, 10));
        sockaddrs!(buffer, 32, Block, Block, out var local, out _, out var remote, out _);
        Assert.Equal(PortOf(leaf), SockAddr.ToEndPoint(remote).Port);
        Assert.Equal(PortOf(root), SockAddr.ToEndPoint(local).Port);
        var handle = BitConverter.GetBytes((ulong)root.Value);
        Ok(setsockopt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, handle, handle.Length));
        // The accept socket is the root's socket for that leaf: a side chat both ways.
        SendText(accepted, "just you");
        Assert.Equal("just you", RecvText(leaf));
        SendText(leaf, "to root");
        Assert.Equal("to root", RecvText(accepted));
    }

    [Fact]
    public void AcceptEx_RootNotListeningOrBadAcceptSocket_WSAEINVAL()
    {
        var root = NewRoot();
        Ok(WSAIoctl(root, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? acceptEx, out _, null, null));
        var a = NewLeaf();
        Assert.False(acceptEx!(root, a, new byte[2 * Block], 0, Block, Block, out _, new WSAOVERLAPPED()));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        var (listening, _) = ListeningRoot();
        var (boundLeaf, _) = ListeningLeaf();
        Assert.False(acceptEx(listening, boundLeaf, new byte[2 * Block], 0, Block, Block, out _, new WSAOVERLAPPED()));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        Assert.False(acceptEx(listening, a, new byte[2 * Block], 0, Block - 1, Block, out _, new WSAOVERLAPPED()));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
    }

    [Fact]
    public void AcceptEx_RootClosed_CompletesWithOperationAborted()
    {
        var (root, _) = ListeningRoot();
        Ok(WSAIoctl(root, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? acceptEx, out _, null, null));
        var a = NewLeaf();
        var ov = new WSAOVERLAPPED { hEvent = NewEvent() };
        Assert.False(acceptEx!(root, a, new byte[2 * Block], 0, Block, Block, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        closesocket(root);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov.hEvent], false, 20_000, false));
        Assert.Equal(WSA_OPERATION_ABORTED, (int)ov.OffsetHigh);
    }
}
