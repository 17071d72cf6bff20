using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>The remaining WSAJoinLeaf error codes of the seeds, each by the path that produces it.</summary>
public class JoinLeafErrorTests : RootedTest
{
    [SkippableFact]
    public void WSAJoinLeaf_NoRouteToRoot_WSAENETUNREACH_SameSocketMayRetry()
    {
        var skip = EmptyNetwork.Run(() =>
        {
            var leaf = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, LeafFlags);
            Assert.True(leaf.IsValid);
            var unroutable = SockAddr.From("10.9.9.9", 5150); // no route in an empty namespace: nothing is sent
            Fails(WSAENETUNREACH, WSAJoinLeaf(leaf, unroutable, unroutable.Length, null, null, null, null, JL_BOTH));
            Fails(WSAENETUNREACH, WSAJoinLeaf(leaf, unroutable, unroutable.Length, null, null, null, null, JL_BOTH));
            closesocket(leaf);
        });
        Skip.If(skip is not null, skip);
    }

    [Fact]
    public void bind_RootOnAddressInUse_WSAEADDRINUSE()
    {
        var (_, addr) = ListeningRoot();
        var other = NewRoot();
        Fails(WSAEADDRINUSE, bind(other, addr, addr.Length));
    }

    [Fact]
    public void WSAJoinLeaf_BlockingCancelledFromCompletionRoutine_WSAEINTR()
    {
        var (_, addr) = ListeningRoot(); // nobody accepts: the join blocks
        var (c, s) = TcpPair();
        Track(c); Track(s);
        var leaf = NewLeaf();
        int error = 0;
        var joiner = Run(() =>
        {
            uint f = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => WSACancelBlockingCall());
            var r = WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH);
            error = r.IsValid ? 0 : WSAGetLastError();
        });
        Assert.False(joiner.Join(100));
        Assert.Equal(1, send(c, Bytes("!"), 1, 0)); // the routine runs during the blocking join and cancels it
        Assert.True(joiner.Join(10_000));
        Assert.Equal(WSAEINTR, error);
    }

    [Fact]
    public void WSAJoinLeaf_BlockingFromRoutineDuringBlockingCall_WSAEINPROGRESS()
    {
        var (_, addr) = ListeningRoot();
        var (c, s) = TcpPair();
        var (c2, s2) = TcpPair();
        foreach (var x in new[] { c, s, c2, s2 }) Track(x);
        var leaf = NewLeaf();
        int inner = 0;
        var worker = Run(() =>
        {
            uint f = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) =>
            {
                var r = WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH);
                inner = r.IsValid ? -1 : WSAGetLastError();
            });
            recv(s2, new byte[4], 4, 0); // the outer blocking call
        });
        Assert.Equal(1, send(c, Bytes("!"), 1, 0));
        Eventually(() => inner != 0, "the inner join to return");
        Assert.Equal(1, send(c2, Bytes("."), 1, 0));
        Assert.True(worker.Join(10_000));
        Assert.Equal(WSAEINPROGRESS, inner);
    }

    [Fact]
    public void WSAJoinLeaf_ListeningLeaf_WSAEINVAL()
    {
        var (root, rootAddr) = ListeningRoot();
        var (leaf, _) = ListeningLeaf();
        Fails(WSAEINVAL, WSAJoinLeaf(leaf, rootAddr, rootAddr.Length, null, null, null, null, JL_BOTH));
        Assert.True(root.IsValid);
    }

    [Fact]
    public void WSAJoinLeaf_NameTooShort_WSAEFAULT()
    {
        var leaf = NewLeaf();
        var addr = Loopback(5150);
        Fails(WSAEFAULT, WSAJoinLeaf(leaf, addr, 8, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_ConnectData_WSAEPROTONOSUPPORT_OnProviderWithoutConnectData()
    {
        var udp = Track(WSASocket(AF_INET, SOCK_DGRAM, 0, null, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF));
        var group = SockAddr.From("239.1.2.3", 5150);
        Fails(WSAEPROTONOSUPPORT, WSAJoinLeaf(udp, group, group.Length, new WSABUF(Bytes("hi")), null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_BeforeStartup_WSANOTINITIALISED()
    {
        var leaf = NewLeaf();
        var addr = Loopback(5150);
        Assert.Equal(0, WSACleanup());
        try
        {
            Fails(WSANOTINITIALISED, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        }
        finally
        {
            Assert.Equal(0, WSAStartup(0x0202, out _));
        }
    }
}
