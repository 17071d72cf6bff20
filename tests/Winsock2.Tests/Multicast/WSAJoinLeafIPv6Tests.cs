using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Multicast;

/// <summary>
/// WSAJoinLeaf over IPv6. Linux does not carry IPv6 multicast over lo, so each test runs in a private network
/// namespace on a veth that exists only there (<see cref="PrivateNetwork"/>). Where namespaces cannot be made the
/// test is reported skipped, with the reason.
/// </summary>
public class WSAJoinLeafIPv6Tests : MulticastTest
{
    private static int _next = Environment.ProcessId % 4096 * 16;

    private static IPAddress NewGroup6() => IPAddress.Parse($"ff12::5753:{Interlocked.Increment(ref _next) & 0xFFFF:x}");

    private static void InNamespace(Action<int> body)
    {
        var skipped = PrivateNetwork.Run(body);
        Skip.If(skipped is not null, skipped);
    }

    private static SOCKET Leaf6(int ifIndex)
    {
        var s = Check(WSASocket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, null, 0, LeafFlags));
        Ok(setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifIndex), "IPV6_MULTICAST_IF");
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 5000));
        return s;
    }

    private static SOCKET Join6(int ifIndex, IPAddress group, int port, uint flags = JL_BOTH)
    {
        var s = Leaf6(ifIndex);
        var name = SockAddr.From(new IPEndPoint(group, port));
        Assert.Equal(s, WSAJoinLeaf(s, name, name.Length, null, null, null, null, flags));
        return s;
    }

    private static SOCKET Sender6(int ifIndex, string local)
    {
        var s = Check(WSASocket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED));
        Ok(setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifIndex));
        var a = SockAddr.From(new IPEndPoint(IPAddress.Parse(local), 0));
        Ok(bind(s, a, a.Length));
        return s;
    }

    private static void SendTo6(SOCKET s, string text, IPAddress group, int port)
    {
        var to = SockAddr.From(new IPEndPoint(group, port));
        var data = Bytes(text);
        Assert.Equal(data.Length, sendto(s, data, data.Length, 0, to, to.Length));
    }

    /// <summary>The IPv6 groups joined on the interface, from this thread's namespace.</summary>
    private static bool Joined6(string device, IPAddress group)
    {
        string hex = Convert.ToHexString(group.GetAddressBytes()).ToLowerInvariant();
        return File.ReadLines("/proc/thread-self/net/igmp6").Any(l =>
        {
            var f = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return f.Length > 2 && f[1] == device && f[2] == hex;
        });
    }

    [SkippableFact]
    public void WSAJoinLeaf_IPv6_JoinFdConnectAndDeliveryWithTheSender()
    {
        InNamespace(index =>
        {
            var group = NewGroup6();
            int port = FreePort();
            var a = Leaf6(index);
            var ev = WSACreateEvent();
            Ok(WSAEventSelect(a, ev, FD_CONNECT));
            var name = SockAddr.From(new IPEndPoint(group, port));
            Assert.Equal(a, WSAJoinLeaf(a, name, name.Length, null, null, null, null, JL_BOTH));
            Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 5000, false));
            var ne = new WSANETWORKEVENTS();
            Ok(WSAEnumNetworkEvents(a, ev, ne));
            Assert.Equal(FD_CONNECT, ne.lNetworkEvents & FD_CONNECT);
            Assert.Equal(0, ne.iErrorCode[FD_CONNECT_BIT]);
            Assert.True(Joined6("ws2mc0", group));
            Ok(WSAEventSelect(a, ev, 0));
            uint nb = 0;
            Ok(ioctlsocket(a, FIONBIO, ref nb)); // blocking again for the receives below

            var b = Join6(index, group, port);
            var s = Sender6(index, "fd99::1");
            SendTo6(s, "six", group, port);
            var (text, from) = Receive(b);
            Assert.Equal("six", text);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("fd99::1"), PortOf(s)), from);
            Assert.Equal("six", Receive(a).Text);

            int got;
            Ok(getsockopt(a, IPPROTO_IPV6, IPV6_MULTICAST_IF, out got));
            Assert.Equal(index, got);
            Ok(WSAIoctl(a, SIO_MULTICAST_SCOPE, BitConverter.GetBytes(0), 4, null, 0, out _, null, null));
            Ok(getsockopt(a, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, out got));
            Assert.Equal(0, got);

            closesocket(a); closesocket(b); closesocket(s);
            Assert.False(Joined6("ws2mc0", group)); // closesocket left
            WSACloseEvent(ev);
        });
    }

    [SkippableFact]
    public void WSAJoinLeaf_IPv6_LoopbackOffGroupFilterSenderAndReceiverOnly()
    {
        InNamespace(index =>
        {
            var g1 = NewGroup6();
            var g2 = NewGroup6();
            int port = FreePort();
            var a = Join6(index, g1, port);
            var b = Join6(index, g1, port);
            var other = Join6(index, g2, port);
            Ok(WSAIoctl(a, SIO_MULTIPOINT_LOOPBACK, BitConverter.GetBytes(0), 4, null, 0, out _, null, null));
            Assert.Equal(4, send(a, Bytes("self"), 4, 0));
            Assert.Equal("self", Receive(b).Text);
            Assert.Equal(6, send(b, Bytes("marker"), 6, 0));
            Assert.Equal("marker", Receive(a).Text); // a's own datagram was not delivered to a
            Assert.Equal("marker", Receive(b).Text);
            Assert.Equal(2, send(other, Bytes("g2"), 2, 0));
            Assert.Equal("g2", Receive(other).Text); // g1's datagrams never reached the g2 member

            var so = Join6(index, g1, port, JL_SENDER_ONLY);
            Fails(WSAEOPNOTSUPP, recv(so, new byte[8], 8, 0));
            var ro = Join6(index, g1, port, JL_RECEIVER_ONLY);
            Fails(WSAEOPNOTSUPP, send(ro, Bytes("x"), 1, 0));
            Assert.Equal(2, send(so, Bytes("so"), 2, 0));
            Assert.Equal("so", Receive(ro).Text);
            foreach (var s in new[] { a, b, other, so, ro }) closesocket(s);
        });
    }

    [SkippableFact]
    public void WSAJoinLeaf_IPv6_SourceSpecificAndWSAEMSGSIZE()
    {
        InNamespace(index =>
        {
            var group = IPAddress.Parse($"ff32::8000:{Interlocked.Increment(ref _next) & 0xFFFF:x}"); // SSM range ff3x::/32
            int port = FreePort();
            var good = Sender6(index, "fd99::1");
            var bad = Sender6(index, "fd99::2");
            var m = Leaf6(index);
            var src = SockAddr.From(new IPEndPoint(IPAddress.Parse("fd99::1"), 0));
            Ok(WSAIoctl(m, SIO_JOINLEAF_SOURCE, src, (uint)src.Length, null, 0, out _, null, null));
            var name = SockAddr.From(new IPEndPoint(group, port));
            Assert.Equal(m, WSAJoinLeaf(m, name, name.Length, null, null, null, null, JL_BOTH));
            SendTo6(bad, "bad", group, port);
            var big = new byte[50];
            var to = SockAddr.From(new IPEndPoint(group, port));
            Assert.Equal(50, sendto(good, big, 50, 0, to, to.Length));
            SendTo6(good, "good", group, port);
            var small = new byte[8];
            uint flags = 0;
            Fails(WSAEMSGSIZE, WSARecv(m, [new WSABUF(small)], 1, out uint n, ref flags, null, null));
            Assert.Equal(8u, n);
            var (text, from) = Receive(m);
            Assert.Equal("good", text);
            Assert.Equal(IPAddress.Parse("fd99::1"), from.Address);
            closesocket(m); closesocket(good); closesocket(bad);
        });
    }
}
