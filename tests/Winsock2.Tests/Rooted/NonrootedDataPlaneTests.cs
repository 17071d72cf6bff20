using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>The T.120-style entry: rooted control plane, nonrooted data plane (the root relays every member's data).</summary>
public class NonrootedDataPlaneTests : RootedTest
{
    private const uint RootOnNonrootedData = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF;

    private (SOCKET Root, byte[] Address) T120Root()
    {
        var root = Track(WSASocket(AF_INET, SOCK_SEQPACKET, IPPROTO_RM_TCP_NONROOTED_DATA, null, 0, RootOnNonrootedData));
        var any = Loopback();
        Ok(bind(root, any, any.Length));
        Ok(listen(root, 16));
        return (root, Loopback(PortOf(root)));
    }

    private SOCKET T120Leaf(SOCKET root, byte[] addr)
    {
        var leaf = Track(WSASocket(AF_INET, SOCK_SEQPACKET, IPPROTO_RM_TCP_NONROOTED_DATA, null, 0, LeafFlags));
        var acceptor = Run(() => Track(accept(root)));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        return leaf;
    }

    [Fact]
    public void Catalog_NonrootedDataEntry_HasRootedControlWithoutRootedData()
    {
        var s = Track(WSASocket(AF_INET, SOCK_SEQPACKET, IPPROTO_RM_TCP_NONROOTED_DATA, null, 0, RootOnNonrootedData));
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, out WSAPROTOCOL_INFOW? info));
        Assert.True(info!.Has(XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE));
        Assert.False(info.Has(XP1_MULTIPOINT_DATA_PLANE));
    }

    [Fact]
    public void WSASocket_DRootOnNonrootedDataPlane_WSAEINVAL()
    {
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_SEQPACKET, IPPROTO_RM_TCP_NONROOTED_DATA, null, 0,
            WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT));
    }

    [Fact]
    public void MemberSend_ReachesRootAndEveryOtherMember_NotItself()
    {
        var (root, addr) = T120Root();
        var a = T120Leaf(root, addr);
        var b = T120Leaf(root, addr);
        var c = T120Leaf(root, addr);
        SendText(a, "from a");
        Assert.Equal("from a", RecvText(root));
        Assert.Equal("from a", RecvText(b));
        Assert.Equal("from a", RecvText(c));
        SendText(root, "from root");
        Assert.Equal("from root", RecvText(a)); // a's next message is the root's: its own was not sent back
        Assert.Equal("from root", RecvText(b));
    }
}
