using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>WSASocket's multipoint flags (SPEC §3): one control-plane and one data-plane flag, each allowed by the entry.</summary>
public class MultipointFlagsTests : WinsockTest
{
    private const uint C_ROOT = WSA_FLAG_MULTIPOINT_C_ROOT, C_LEAF = WSA_FLAG_MULTIPOINT_C_LEAF;
    private const uint D_ROOT = WSA_FLAG_MULTIPOINT_D_ROOT, D_LEAF = WSA_FLAG_MULTIPOINT_D_LEAF;

    [Fact]
    public void WSASocket_UdpCLeafDLeaf_Succeeds()
    {
        var s = Check(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED | C_LEAF | D_LEAF));
        Ok(closesocket(s));
        var s6 = Check(WSASocket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, null, 0, C_LEAF | D_LEAF));
        Ok(closesocket(s6));
    }

    [Theory]
    [InlineData(C_ROOT | D_LEAF)] // UDP has no rooted control plane
    [InlineData(C_LEAF | D_ROOT)] // UDP has no rooted data plane
    [InlineData(C_ROOT | D_ROOT)]
    public void WSASocket_UdpRootFlag_WSAEINVAL(uint flags)
    {
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED | flags));
    }

    [Theory]
    [InlineData(C_ROOT | C_LEAF | D_LEAF)] // two control-plane flags
    [InlineData(C_LEAF | D_ROOT | D_LEAF)] // two data-plane flags
    [InlineData(C_LEAF)]                   // control flag without a data flag
    [InlineData(D_LEAF)]                   // data flag without a control flag
    [InlineData(C_ROOT)]
    public void WSASocket_NotOneControlAndOneDataFlag_WSAEINVAL(uint flags)
    {
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, flags));
    }

    [Theory]
    [InlineData(C_LEAF | D_LEAF)]
    [InlineData(C_ROOT | D_ROOT)]
    [InlineData(C_LEAF)]
    public void WSASocket_TcpAnyMultipointFlag_WSAEINVAL(uint flags)
    {
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED | flags));
        Fails(WSAEINVAL, WSASocket(AF_INET6, SOCK_STREAM, IPPROTO_TCP, null, 0, flags));
    }

    [Fact]
    public void WSAJoinLeaf_SocketWithoutMultipointFlags_WSAEINVAL()
    {
        var s = Check(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED));
        var group = SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("239.255.42.99"), 5150));
        Fails(WSAEINVAL, WSAJoinLeaf(s, group, group.Length, null, null, null, null, JL_BOTH));
        Ok(closesocket(s));

        var (c, srv) = TcpPair();
        var peer = Loopback(PortOf(srv));
        Fails(WSAEINVAL, WSAJoinLeaf(c, peer, peer.Length, null, null, null, null, JL_BOTH));
        Ok(closesocket(c));
        Ok(closesocket(srv));
    }

    [Fact]
    public void WSASocket_RootedEntry_RootFlagsAllowedByItsPlanes()
    {
        using var p = Install(typeof(TestProvider),
            Entry(TestAf, SOCK_STREAM, 1, XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE, name: "rooted control, nonrooted data"),
            Entry(TestAf, SOCK_STREAM, 2, XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE | XP1_MULTIPOINT_DATA_PLANE, name: "rooted both"));
        Restart();

        SOCKET Make(int protocol, uint flags) => WSASocket(TestAf, SOCK_STREAM, protocol, null, 0, flags);

        foreach (var flags in new[] { C_ROOT | D_LEAF, C_LEAF | D_LEAF })
        {
            var s = Check(Make(1, flags));
            Assert.Equal(flags, TestProvider.LastSocket!.Flags);
            Ok(closesocket(s));
        }
        Fails(WSAEINVAL, Make(1, C_ROOT | D_ROOT)); // no rooted data plane
        Fails(WSAEINVAL, Make(1, C_LEAF | D_ROOT));

        foreach (var flags in new[] { C_ROOT | D_ROOT, C_ROOT | D_LEAF, C_LEAF | D_ROOT, C_LEAF | D_LEAF })
        {
            var s = Check(Make(2, flags));
            Ok(closesocket(s));
        }
        Fails(WSAEINVAL, Make(2, C_ROOT | C_LEAF | D_ROOT));
    }
}
