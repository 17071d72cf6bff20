using Winsock2.Tests.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>
/// The rooted multipoint provider and the extension functions: it offers none of them (its joins go through
/// WSAJoinLeaf and WSAAccept), so asking for one is WSAEOPNOTSUPP; WSAPoll works on its sockets.
/// </summary>
public class RootedExtensionTests : RootedTest
{
    [Fact]
    public void WSAIoctl_RootedSocket_MswsockFunctionsWSAEOPNOTSUPP()
    {
        var (root, _) = ListeningRoot();
        foreach (var id in new[] { WSAID_ACCEPTEX, WSAID_GETACCEPTEXSOCKADDRS, WSAID_CONNECTEX, WSAID_DISCONNECTEX, WSAID_TRANSMITFILE, WSAID_WSARECVMSG, WSAID_WSASENDMSG })
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
}
