using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Multicast;

/// <summary>
/// WSAJoinLeaf, nonrooted (SPEC §3 "Nonrooted"): IP multicast joins on the UDP entries, over 127.0.0.1.
/// "Not delivered" is always shown with a sentinel datagram sent after the one that must not arrive, so
/// no outcome depends on timing.
/// </summary>
public class WSAJoinLeafMulticastTests : MulticastTest
{
    [Fact]
    public void WSAJoinLeaf_Nonrooted_ReturnsSameSocketThenFdConnectWithError0()
    {
        var group = NewGroup();
        int port = FreePort();
        var s = Pinned();
        var ev = WSACreateEvent();
        Ok(WSAEventSelect(s, ev, FD_CONNECT | FD_READ), "WSAEventSelect");
        var name = Addr(group, port);
        var r = WSAJoinLeaf(s, name, name.Length, null, null, null, null, JL_BOTH);
        Assert.Equal(s, r);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 5000, false));
        var ne = new WSANETWORKEVENTS();
        Ok(WSAEnumNetworkEvents(s, ev, ne));
        Assert.Equal(FD_CONNECT, ne.lNetworkEvents & FD_CONNECT);
        Assert.Equal(0, ne.iErrorCode[FD_CONNECT_BIT]);
        Assert.Contains(group, LoopbackGroups()); // the membership is in place on lo
        closesocket(s);
        WSACloseEvent(ev);
    }

    [Fact]
    public void WSAJoinLeaf_UdpWithoutLeafFlags_WSAEINVAL()
    {
        var s = Pinned(leaf: false);
        var name = Addr(NewGroup(), FreePort());
        Fails(WSAEINVAL, WSAJoinLeaf(s, name, name.Length, null, null, null, null, JL_BOTH));
        closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_CallerData_WSAEPROTONOSUPPORT()
    {
        var s = Pinned();
        var name = Addr(NewGroup(), FreePort());
        Fails(WSAEPROTONOSUPPORT, WSAJoinLeaf(s, name, name.Length, new WSABUF(new byte[4]), null, null, null, JL_BOTH));
        Fails(WSAEPROTONOSUPPORT, WSAJoinLeaf(s, name, name.Length, null, new WSABUF(new byte[4]), null, null, JL_BOTH));
        closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_Flowspecs_WSAEOPNOTSUPP()
    {
        var s = Pinned();
        var name = Addr(NewGroup(), FreePort());
        Fails(WSAEOPNOTSUPP, WSAJoinLeaf(s, name, name.Length, null, null, new QOS(), null, JL_BOTH));
        closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_NotAGroupOrPort0_WSAEADDRNOTAVAIL()
    {
        var s = Pinned();
        var unicast = Addr(IPAddress.Loopback, FreePort());
        Fails(WSAEADDRNOTAVAIL, WSAJoinLeaf(s, unicast, unicast.Length, null, null, null, null, JL_BOTH));
        var port0 = Addr(NewGroup(), 0);
        Fails(WSAEADDRNOTAVAIL, WSAJoinLeaf(s, port0, port0.Length, null, null, null, null, JL_BOTH));
        closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_BadFlagsOrFamily_WSAEINVALOrWSAEAFNOSUPPORT()
    {
        var s = Pinned();
        var name = Addr(NewGroup(), FreePort());
        Fails(WSAEINVAL, WSAJoinLeaf(s, name, name.Length, null, null, null, null, JL_SENDER_ONLY | JL_RECEIVER_ONLY));
        Fails(WSAEINVAL, WSAJoinLeaf(s, name, name.Length, null, null, null, null, 0x10));
        var v6 = SockAddr.From(new IPEndPoint(IPAddress.Parse("ff12::1"), 5000));
        Fails(WSAEAFNOSUPPORT, WSAJoinLeaf(s, v6, v6.Length, null, null, null, null, JL_BOTH));
        Fails(WSAEFAULT, WSAJoinLeaf(s, name, 8, null, null, null, null, JL_BOTH));
        closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_SameGroupTwice_WSAEISCONN()
    {
        var group = NewGroup();
        int port = FreePort();
        var s = Member(group, port);
        var name = Addr(group, port);
        Fails(WSAEISCONN, WSAJoinLeaf(s, name, name.Length, null, null, null, null, JL_BOTH));
        closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_Unbound_BindsToWildcardAndGroupPort()
    {
        var group = NewGroup();
        int port = FreePort();
        var s = Member(group, port);
        var name = new byte[16];
        int len = name.Length;
        Ok(getsockname(s, name, ref len));
        var local = SockAddr.ToEndPoint(name);
        Assert.Equal(IPAddress.Any, local.Address);
        Assert.Equal(port, local.Port);
        // SO_REUSEADDR: a second member on this host shares the port.
        var t = Member(group, port);
        closesocket(s); closesocket(t);
    }

    [Fact]
    public void WSAJoinLeaf_Joined_SendGoesToGroupAndMembersReceiveIt()
    {
        var group = NewGroup();
        int port = FreePort();
        var a = Member(group, port);
        var b = Member(group, port);
        Assert.Equal(5, send(a, Bytes("hello"), 5, 0)); // no address: the group is the default destination
        var (text, from) = Receive(b);
        Assert.Equal("hello", text);
        Assert.Equal(port, from.Port);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSAJoinLeaf_Joined_SendToIgnoresAddressLikeConnectedUdp()
    {
        var group = NewGroup();
        int port = FreePort();
        var a = Member(group, port);
        var b = Member(group, port);
        var elsewhere = Addr(IPAddress.Loopback, FreePort());
        Assert.Equal(3, sendto(a, Bytes("abc"), 3, 0, elsewhere, elsewhere.Length));
        Assert.Equal("abc", Receive(b).Text);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSAJoinLeaf_SenderOnly_NoMembershipAndReceiveWSAEOPNOTSUPP()
    {
        var group = NewGroup();
        int port = FreePort();
        var sender = Member(group, port, JL_SENDER_ONLY);
        Assert.DoesNotContain(group, LoopbackGroups()); // no membership report: the host did not join
        var buf = new byte[16];
        Fails(WSAEOPNOTSUPP, recv(sender, buf, buf.Length, 0));

        var receiver = Member(group, port, JL_RECEIVER_ONLY);
        Assert.Equal(2, send(sender, Bytes("so"), 2, 0));
        Assert.Equal("so", Receive(receiver).Text);
        closesocket(sender); closesocket(receiver);
    }

    [Fact]
    public void WSAJoinLeaf_ReceiverOnly_SendWSAEOPNOTSUPP()
    {
        var group = NewGroup();
        int port = FreePort();
        var r = Member(group, port, JL_RECEIVER_ONLY);
        Fails(WSAEOPNOTSUPP, send(r, Bytes("x"), 1, 0));
        var to = Addr(group, port);
        Fails(WSAEOPNOTSUPP, sendto(r, Bytes("x"), 1, 0, to, to.Length));
        var s = Sender();
        SendTo(s, "in", group, port);
        Assert.Equal("in", Receive(r).Text);
        closesocket(r); closesocket(s);
    }

    [Fact]
    public void SIO_MULTIPOINT_LOOPBACK_DefaultTrue_OwnSendsComeBack()
    {
        var group = NewGroup();
        int port = FreePort();
        var a = Member(group, port);
        var outBuf = new byte[4];
        Ok(WSAIoctl(a, SIO_MULTIPOINT_LOOPBACK, null, 0, outBuf, 4, out uint n, null, null));
        Assert.Equal(4u, n);
        Assert.Equal(1, BitConverter.ToInt32(outBuf));
        Assert.Equal(4, send(a, Bytes("mine"), 4, 0));
        Assert.Equal("mine", Receive(a).Text);
        closesocket(a);
    }

    [Fact]
    public void SIO_MULTIPOINT_LOOPBACK_False_OwnSendsNotReceivedOthersStillAre()
    {
        var group = NewGroup();
        int port = FreePort();
        var a = Member(group, port);
        var b = Member(group, port); // same address and port as a (SO_REUSEADDR)
        Ok(WSAIoctl(a, SIO_MULTIPOINT_LOOPBACK, BitConverter.GetBytes(0), 4, null, 0, out _, null, null));
        Assert.Equal(4, send(a, Bytes("self"), 4, 0));
        Assert.Equal("self", Receive(b).Text); // loopback is a receive-side rule: other local members get it
        Assert.Equal(6, send(b, Bytes("marker"), 6, 0));
        Assert.Equal("marker", Receive(a).Text); // a's own datagram was dropped, b's (same source address and port) was not
        Assert.Equal("marker", Receive(b).Text);

        int v;
        Ok(getsockopt(a, IPPROTO_IP, IP_MULTICAST_LOOP, out v));
        Assert.Equal(0, v);
        Ok(setsockopt(a, IPPROTO_IP, IP_MULTICAST_LOOP, 1)); // the BSD-style twin
        Assert.Equal(4, send(a, Bytes("back"), 4, 0));
        Assert.Equal("back", Receive(a).Text);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void SIO_MULTIPOINT_LOOPBACK_False_PeekDropsOwnSendToo()
    {
        var group = NewGroup();
        int port = FreePort();
        var a = Member(group, port);
        var b = Member(group, port);
        Ok(setsockopt(a, IPPROTO_IP, IP_MULTICAST_LOOP, 0));
        Assert.Equal(4, send(a, Bytes("self"), 4, 0));
        Assert.Equal(1, send(b, Bytes("m"), 1, 0));
        var buf = new byte[16];
        Assert.Equal(1, recv(a, buf, buf.Length, MSG_PEEK));
        Assert.Equal("m", Text(buf, 1));
        Assert.Equal(1, recv(a, buf, buf.Length, 0));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void SIO_MULTICAST_SCOPE_SetsTheTtlReadBackThroughIP_MULTICAST_TTL()
    {
        var s = Pinned();
        int ttl;
        Ok(getsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, out ttl));
        Assert.Equal(1, ttl); // default: no routers
        Ok(WSAIoctl(s, SIO_MULTICAST_SCOPE, BitConverter.GetBytes(0), 4, null, 0, out _, null, null));
        Ok(getsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, out ttl));
        Assert.Equal(0, ttl);
        Ok(WSAIoctl(s, SIO_MULTICAST_SCOPE, BitConverter.GetBytes(7), 4, null, 0, out _, null, null));
        Ok(getsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, out ttl));
        Assert.Equal(7, ttl);
        Ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, 3));
        var outBuf = new byte[4];
        Ok(WSAIoctl(s, SIO_MULTICAST_SCOPE, null, 0, outBuf, 4, out _, null, null));
        Assert.Equal(3, BitConverter.ToInt32(outBuf));
        Fails(WSAEINVAL, WSAIoctl(s, SIO_MULTICAST_SCOPE, BitConverter.GetBytes(256), 4, null, 0, out _, null, null));
        Fails(WSAEINVAL, setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, -1));
        Fails(WSAEFAULT, WSAIoctl(s, SIO_MULTICAST_SCOPE, null, 0, null, 0, out _, null, null));
        closesocket(s);
    }

    [Fact]
    public void SIO_MULTICAST_SCOPE_Zero_StillDeliversOnThisHost()
    {
        var group = NewGroup();
        int port = FreePort();
        var a = Member(group, port);
        var b = Member(group, port);
        Ok(WSAIoctl(a, SIO_MULTICAST_SCOPE, BitConverter.GetBytes(0), 4, null, 0, out _, null, null));
        Assert.Equal(4, send(a, Bytes("host"), 4, 0));
        Assert.Equal("host", Receive(b).Text);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void SIO_MULTICAST_SCOPE_OnTcp_WSAEOPNOTSUPP()
    {
        var s = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
        Fails(WSAEOPNOTSUPP, WSAIoctl(s, SIO_MULTICAST_SCOPE, BitConverter.GetBytes(1), 4, null, 0, out _, null, null));
        closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_GroupJoinedByAnotherSocket_IsNotDelivered()
    {
        var g1 = NewGroup();
        var g2 = NewGroup();
        int port = FreePort();
        var a = Member(g1, port);
        var b = Member(g2, port); // same port, other group: Linux would deliver g1 to b too (IP_MULTICAST_ALL)
        var s = Sender();
        SendTo(s, "for-g1", g1, port);
        SendTo(s, "for-g2", g2, port);
        Assert.Equal("for-g2", Receive(b).Text);
        Assert.Equal("for-g1", Receive(a).Text);
        closesocket(a); closesocket(b); closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_PlainSocketOnSamePort_ReceivesNoMulticast()
    {
        var group = NewGroup();
        int port = FreePort();
        var member = Member(group, port);
        var plain = Pinned(leaf: false);
        Ok(setsockopt(plain, SOL_SOCKET, SO_REUSEADDR, 1));
        var any = Addr(IPAddress.Any, port);
        Ok(bind(plain, any, any.Length));
        var s = Sender();
        SendTo(s, "group", group, port);
        Assert.Equal("group", Receive(member).Text);
        closesocket(member);
        var direct = Addr(IPAddress.Loopback, port);
        Assert.Equal(6, sendto(s, Bytes("direct"), 6, 0, direct, direct.Length)); // unicast: only plain is left on the port
        Assert.Equal("direct", Receive(plain).Text); // the group datagram never reached the socket that did not join
        closesocket(plain); closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_SourceSpecific_OtherSourcesNotDelivered()
    {
        var group = NewGroup();
        int port = FreePort();
        var good = Sender(IPAddress.Parse("127.0.0.2"));
        var bad = Sender(IPAddress.Parse("127.0.0.3"));
        var m = Pinned();
        var src = Addr(IPAddress.Parse("127.0.0.2"), 0);
        Ok(WSAIoctl(m, SIO_JOINLEAF_SOURCE, src, (uint)src.Length, null, 0, out _, null, null), "SIO_JOINLEAF_SOURCE");
        var name = Addr(group, port);
        Assert.Equal(m, WSAJoinLeaf(m, name, name.Length, null, null, null, null, JL_BOTH));
        SendTo(bad, "bad", group, port);
        SendTo(good, "good", group, port);
        var (text, from) = Receive(m);
        Assert.Equal("good", text);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), from.Address);
        closesocket(m); closesocket(good); closesocket(bad);
    }

    [Fact]
    public void IP_ADD_SOURCE_MEMBERSHIP_OtherSourcesNotDeliveredAndDropLeaves()
    {
        var group = NewGroup();
        int port = FreePort();
        var good = Sender(IPAddress.Parse("127.0.0.2"));
        var bad = Sender(IPAddress.Parse("127.0.0.3"));
        var m = Pinned(leaf: false);
        var any = Addr(IPAddress.Any, port);
        Ok(bind(m, any, any.Length));
        // Windows' ip_mreq_source: multiaddr, sourceaddr, interface.
        byte[] mreq = [.. group.GetAddressBytes(), 127, 0, 0, 2, 127, 0, 0, 1];
        Ok(setsockopt(m, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, mreq, mreq.Length), "IP_ADD_SOURCE_MEMBERSHIP");
        Assert.Contains(group, LoopbackGroups());
        SendTo(bad, "bad", group, port);
        SendTo(good, "good", group, port);
        Assert.Equal("good", Receive(m).Text);
        Ok(setsockopt(m, IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP, mreq, mreq.Length), "IP_DROP_SOURCE_MEMBERSHIP");
        Assert.DoesNotContain(group, LoopbackGroups());
        Fails(WSAEADDRNOTAVAIL, setsockopt(m, IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP, mreq, mreq.Length));
        Fails(WSAEFAULT, setsockopt(m, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, mreq, 8));
        closesocket(m); closesocket(good); closesocket(bad);
    }

    [Fact]
    public void WSAJoinLeaf_AfterIpAddSourceMembership_AdoptsTheSourceSpecificMembership()
    {
        var group = NewGroup();
        int port = FreePort();
        var good = Sender(IPAddress.Parse("127.0.0.2"));
        var bad = Sender(IPAddress.Parse("127.0.0.3"));
        var m = Pinned();
        var any = Addr(IPAddress.Any, port);
        Ok(setsockopt(m, SOL_SOCKET, SO_REUSEADDR, 1));
        Ok(bind(m, any, any.Length));
        byte[] mreq = [.. group.GetAddressBytes(), 127, 0, 0, 2, 127, 0, 0, 1];
        Ok(setsockopt(m, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, mreq, mreq.Length));
        var name = Addr(group, port);
        Assert.Equal(m, WSAJoinLeaf(m, name, name.Length, null, null, null, null, JL_BOTH));
        SendTo(bad, "bad", group, port);
        SendTo(good, "good", group, port);
        Assert.Equal("good", Receive(m).Text);
        closesocket(m); closesocket(good); closesocket(bad);
    }

    [Fact]
    public void WSARecvFrom_Joined_DatagramLargerThanBuffers_WSAEMSGSIZEExcessLost()
    {
        var group = NewGroup();
        int port = FreePort();
        var m = Member(group, port);
        var s = Sender(IPAddress.Loopback);
        var big = new byte[100];
        for (int i = 0; i < big.Length; i++) big[i] = (byte)i;
        var to = Addr(group, port);
        Assert.Equal(100, sendto(s, big, 100, 0, to, to.Length));
        SendTo(s, "next", group, port);
        var b1 = new byte[6];
        var b2 = new byte[4];
        uint flags = 0;
        var from = new byte[16];
        int fromlen = from.Length;
        Fails(WSAEMSGSIZE, WSARecvFrom(m, [new WSABUF(b1), new WSABUF(b2)], 2, out uint got, ref flags, from, ref fromlen, null, null));
        Assert.Equal(10u, got);
        Assert.Equal(0u, flags & MSG_PARTIAL); // no MSG_PARTIAL: UDP lacks XP1_PARTIAL_MESSAGE
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5 }, b1);
        Assert.Equal(new byte[] { 6, 7, 8, 9 }, b2);
        var (text, sender) = Receive(m); // the excess is gone: the next receive gets the next datagram
        Assert.Equal("next", text);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, PortOf(s)), sender);
        flags = MSG_PARTIAL;
        Fails(WSAEOPNOTSUPP, WSARecv(m, [new WSABUF(b1)], 1, out _, ref flags, null, null));
        closesocket(m); closesocket(s);
    }

    [Fact]
    public void WSARecvFrom_Joined_WholeDatagramsAndTheSender()
    {
        var group = NewGroup();
        int port = FreePort();
        var m = Member(group, port);
        var s = Sender(IPAddress.Loopback);
        SendTo(s, "one", group, port);
        SendTo(s, "two", group, port);
        var buf = new byte[64];
        uint flags = 0;
        var from = new byte[16];
        int fromlen = from.Length;
        Ok(WSARecvFrom(m, [new WSABUF(buf)], 1, out uint got, ref flags, from, ref fromlen, null, null));
        Assert.Equal(3u, got);
        Assert.Equal("one", Text(buf, 3));
        Assert.Equal(16, fromlen);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, PortOf(s)), SockAddr.ToEndPoint(from));
        Assert.Equal("two", Receive(m).Text);
        closesocket(m); closesocket(s);
    }

    [Fact]
    public void WSAJoinLeaf_SeveralGroups_LastJoinedIsDefaultAndClosesocketLeavesAll()
    {
        var g1 = NewGroup();
        var g2 = NewGroup();
        int port = FreePort();
        var m = Member(g1, port);
        var name = Addr(g2, port);
        Assert.Equal(m, WSAJoinLeaf(m, name, name.Length, null, null, null, null, JL_BOTH));
        var groups = LoopbackGroups();
        Assert.Contains(g1, groups);
        Assert.Contains(g2, groups);
        var only2 = Member(g2, port);
        var s = Sender();
        SendTo(s, "to-1", g1, port);
        SendTo(s, "to-2", g2, port);
        Assert.Equal("to-1", Receive(m).Text);
        Assert.Equal("to-2", Receive(m).Text);
        Assert.Equal("to-2", Receive(only2).Text);
        Assert.Equal(4, send(m, Bytes("last"), 4, 0)); // default destination: g2, the last group joined
        Assert.Equal("last", Receive(only2).Text);
        closesocket(only2);
        closesocket(m);
        Eventually(() => { var g = LoopbackGroups(); return !g.Contains(g1) && !g.Contains(g2); }, "closesocket to leave both groups");
        closesocket(s);
    }

    [Fact]
    public void IP_ADD_MEMBERSHIP_PlainSocket_JoinsAndDropLeaves()
    {
        var group = NewGroup();
        int port = FreePort();
        var m = Pinned(leaf: false);
        var any = Addr(IPAddress.Any, port);
        Ok(bind(m, any, any.Length));
        byte[] mreq = [.. group.GetAddressBytes(), 127, 0, 0, 1];
        Ok(setsockopt(m, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, mreq.Length), "IP_ADD_MEMBERSHIP");
        Assert.Contains(group, LoopbackGroups());
        var s = Sender();
        SendTo(s, "bsd", group, port);
        Assert.Equal("bsd", Receive(m).Text);
        Ok(setsockopt(m, IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq, mreq.Length), "IP_DROP_MEMBERSHIP");
        Assert.DoesNotContain(group, LoopbackGroups());
        Fails(WSAEADDRNOTAVAIL, setsockopt(m, IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq, mreq.Length));
        byte[] notGroup = [127, 0, 0, 1, 127, 0, 0, 1];
        Fails(WSAEINVAL, setsockopt(m, IPPROTO_IP, IP_ADD_MEMBERSHIP, notGroup, notGroup.Length));
        Fails(WSAEFAULT, setsockopt(m, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, 4));
        var outBuf = new byte[8];
        int len = outBuf.Length;
        Fails(WSAENOPROTOOPT, getsockopt(m, IPPROTO_IP, IP_ADD_MEMBERSHIP, outBuf, ref len));
        closesocket(m); closesocket(s);
    }

    [Fact]
    public void IP_MULTICAST_IF_ReadsBackTheAddressAndRejectsForeignOnes()
    {
        var s = Pinned(leaf: false);
        var outBuf = new byte[4];
        int len = 4;
        Ok(getsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, outBuf, ref len));
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, outBuf);
        Fails(WSAEADDRNOTAVAIL, setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, [192, 0, 2, 1], 4)); // TEST-NET-1: not this host's
        Fails(WSAEFAULT, setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, [127, 0], 2));
        closesocket(s);
    }
}
