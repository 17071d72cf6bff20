using System.Net;
using Winsock2.Tests.Multicast;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// A multipoint UDP socket bound to an interface address (not the wildcard) and joined to a group receives the
/// group's traffic, as on Windows; Linux alone would deliver it only to wildcard- or group-bound sockets. Loopback
/// only: the sockets are bound to 127.0.0.1, and senders pin IP_MULTICAST_IF to 127.0.0.1.
/// </summary>
public sealed class MulticastBoundAddressTests : MulticastTest
{
    private static SOCKET BoundMember(IPAddress group, int port, bool pinned)
    {
        var s = pinned ? Pinned() : Check(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LeafFlags));
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 5000), "SO_RCVTIMEO");
        var local = Addr(IPAddress.Loopback, port);
        Ok(bind(s, local, local.Length), "bind");
        var name = Addr(group, port);
        var r = WSAJoinLeaf(s, name, name.Length, null, null, null, null, JL_BOTH);
        Assert.True(r.IsValid, $"WSAJoinLeaf failed with {WSAGetLastError()}");
        return s;
    }

    [Fact]
    public void WSAJoinLeaf_BoundToInterfaceAddress_ReceivesGroupTraffic()
    {
        var group = NewGroup();
        int port = FreePort();
        var member = BoundMember(group, port, pinned: true);
        var sender = Sender();
        try
        {
            SendTo(sender, "to the group", group, port);
            Assert.Equal("to the group", Receive(member).Text);
        }
        finally
        {
            closesocket(sender);
            closesocket(member);
        }
    }

    [Fact]
    public void getsockname_BoundToInterfaceAddressAndJoined_ShowsTheBoundAddress()
    {
        var group = NewGroup();
        int port = FreePort();
        var member = BoundMember(group, port, pinned: true);
        try
        {
            var name = new byte[16];
            int len = name.Length;
            Ok(getsockname(member, name, ref len));
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), SockAddr.ToEndPoint(name));
        }
        finally { closesocket(member); }
    }

    // Unicast to the bound address still arrives (nothing a Windows application gets is filtered).
    [Fact]
    public void WSAJoinLeaf_BoundToInterfaceAddress_UnicastToThatAddressStillArrives()
    {
        var group = NewGroup();
        int port = FreePort();
        var member = BoundMember(group, port, pinned: true);
        var sender = Sender();
        try
        {
            SendTo(sender, "unicast", IPAddress.Loopback, port);
            Assert.Equal("unicast", Receive(member).Text);
        }
        finally
        {
            closesocket(sender);
            closesocket(member);
        }
    }

    // With no IP_MULTICAST_IF, the join uses the interface of the bound address (127.0.0.1: lo).
    [Fact]
    public void WSAJoinLeaf_BoundToLoopbackWithoutMulticastIf_JoinsOnLoopback()
    {
        var group = NewGroup();
        int port = FreePort();
        var member = BoundMember(group, port, pinned: false);
        var sender = Sender();
        try
        {
            Assert.Contains(group, LoopbackGroups());
            SendTo(sender, "via lo", group, port);
            Assert.Equal("via lo", Receive(member).Text);
        }
        finally
        {
            closesocket(sender);
            closesocket(member);
        }
    }
}
