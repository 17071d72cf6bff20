using Winsock2.Tests.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>The C idioms on the rooted provider: SOCKADDR_IN for WSAJoinLeaf, WSABUF offsets both ways, a per-I/O subclass.</summary>
public sealed unsafe class RootedPortingTests : RootedTest
{
    private (SOCKET Root, SOCKET Leaf) Joined()
    {
        var (root, addr) = ListeningRoot();
        SOCKADDR_IN rootAddr = (SOCKADDR_IN)addr;
        var leaf = NewLeaf();
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, ref rootAddr, sizeof(SOCKADDR_IN), null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Track(handle);
        return (root, leaf);
    }

    [Fact]
    public void WSAJoinLeaf_SockaddrInShortLength_WSAEFAULT()
    {
        var (_, addr) = ListeningRoot();
        SOCKADDR_IN rootAddr = (SOCKADDR_IN)addr;
        var leaf = NewLeaf();
        Fails(WSAEFAULT, WSAJoinLeaf(leaf, ref rootAddr, sizeof(SOCKADDR_IN) - 2, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSASend_WSARecv_WSABUFOffsets_RootToLeafAndLeafToRoot()
    {
        var (root, leaf) = Joined();
        var data = Bytes("__fan__out__");
        Ok(WSASend(root, [new WSABUF(data, 2, 3), new WSABUF(data, 7, 3)], 2, out uint sent, 0, null, null), "root WSASend");
        Assert.Equal(6u, sent);
        var buf = new byte[12];
        uint flags = 0;
        Ok(WSARecv(leaf, [new WSABUF(buf, 4, 6)], 1, out uint got, ref flags, null, null), "leaf WSARecv");
        Assert.Equal(6u, got);
        Assert.Equal("fanout", System.Text.Encoding.ASCII.GetString(buf, 4, 6));
        Assert.All(buf[..4], x => Assert.Equal(0, x));

        Assert.Equal(4, send(leaf, Bytes("xxup!!"), 2, 4, 0));
        var back = new byte[10];
        int n = recv(root, back, 3, 7, 0);
        Assert.Equal(4, n);
        Assert.Equal("up!!", System.Text.Encoding.ASCII.GetString(back, 3, 4));
        Assert.All(back[..3], x => Assert.Equal(0, x));
    }

    [Fact]
    public void WSARecv_PerIoSubclassOnLeaf_RoutineGetsTheSameObject()
    {
        var (root, leaf) = Joined();
        var io = new PerIo(PerIo.Receive, leaf);
        io.Buf = new WSABUF(io.Data, 8, 16);
        WSAOVERLAPPED? seen = null;
        uint bytes = 0;
        uint flags = 0;
        int rc = WSARecv(leaf, [io.Buf], 1, out _, ref flags, io, (err, n, ov, f) => { bytes = n; seen = ov; });
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSARecv failed with {WSAGetLastError()}");
        SendText(root, "rooted");
        PerIoOverlappedTests.WaitForRoutine(() => seen is not null);
        Assert.Same(io, seen);
        Assert.Equal(6u, bytes);
        Assert.Equal("rooted", System.Text.Encoding.ASCII.GetString(((PerIo)seen!).Data, 8, 6));
    }
}
