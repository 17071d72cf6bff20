using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>WSASendMsg with IP_PKTINFO / IPV6_PKTINFO control data choosing a datagram's source address and interface.</summary>
public class WSASendMsgControlTests : MswsockTest
{
    /// <summary>One WSACMSGHDR record (cmsg_len SIZE_T, cmsg_level, cmsg_type, data from byte 16), padded to 8 bytes.</summary>
    private static byte[] Record(int level, int type, byte[] data, ulong? cmsgLen = null)
    {
        var rec = new byte[16 + ((data.Length + 7) & ~7)];
        BinaryPrimitives.WriteUInt64LittleEndian(rec, cmsgLen ?? (ulong)(16 + data.Length));
        BinaryPrimitives.WriteInt32LittleEndian(rec.AsSpan(8), level);
        BinaryPrimitives.WriteInt32LittleEndian(rec.AsSpan(12), type);
        data.CopyTo(rec, 16);
        return rec;
    }

    /// <summary>IN_PKTINFO { ipi_addr, ipi_ifindex }.</summary>
    private static byte[] InPktInfo(IPAddress source, uint ifindex)
    {
        var info = new byte[8];
        source.GetAddressBytes().CopyTo(info, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(4), ifindex);
        return info;
    }

    /// <summary>IN6_PKTINFO { ipi6_addr, ipi6_ifindex }.</summary>
    private static byte[] In6PktInfo(IPAddress source, uint ifindex)
    {
        var info = new byte[20];
        source.GetAddressBytes().CopyTo(info, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(16), ifindex);
        return info;
    }

    private static WSAMSG Message(byte[] to, string text, byte[]? control) => new()
    {
        name = to,
        namelen = to.Length,
        lpBuffers = [new WSABUF(Bytes(text))],
        dwBufferCount = 1,
        Control = control is null ? new WSABUF() : new WSABUF(control),
    };

    /// <summary>A UDP socket bound to the wildcard address of <paramref name="af"/>.</summary>
    private static SOCKET WildcardSender(int af)
    {
        var s = Check(WSASocket(af, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED));
        var any = SockAddr.From(new IPEndPoint(af == AF_INET ? IPAddress.Any : IPAddress.IPv6Any, 0));
        Ok(bind(s, any, any.Length), "bind to the wildcard address");
        return s;
    }

    /// <summary>Receives one datagram: its text and its source address.</summary>
    private static (string Text, IPAddress Source) Receive(SOCKET s)
    {
        var buf = new byte[64];
        var from = new byte[28];
        int fromlen = from.Length;
        int n = recvfrom(s, buf, buf.Length, 0, from, ref fromlen);
        Assert.True(n >= 0, $"recvfrom failed: {WSAGetLastError()}");
        return (Text(buf, n), SockAddr.ToEndPoint(from).Address);
    }

    [Fact]
    public void WSASendMsg_IpPktInfo_ChoosesSourceAddress()
    {
        var (spare, _, receiver, to) = UdpPair();
        var sender = WildcardSender(AF_INET);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var source = IPAddress.Parse("127.0.0.2");
        var control = Record(IPPROTO_IP, IP_PKTINFO, InPktInfo(source, 0));
        Assert.Equal(24, control.Length); // WSA_CMSG_SPACE(sizeof(IN_PKTINFO))
        Assert.Equal(0, sendMsg(sender, Message(to, "src", control), 0, out uint sent, null, null));
        Assert.Equal(3u, sent);
        Assert.Equal(("src", source), Receive(receiver));
        // Without control data the kernel picks the source itself: 127.0.0.1 towards 127.0.0.1.
        Assert.Equal(0, sendMsg(sender, Message(to, "plain", null), 0, out sent, null, null));
        Assert.Equal(("plain", IPAddress.Loopback), Receive(receiver));
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }

    [Fact]
    public void WSASendMsg_IpPktInfo_ReceiverSeesSourceAndDestination()
    {
        var (spare, _, receiver, to) = UdpPair();
        Ok(setsockopt(receiver, IPPROTO_IP, IP_PKTINFO, 1), "IP_PKTINFO");
        var sender = WildcardSender(AF_INET);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var recvMsg = Load<LPFN_WSARECVMSG>(receiver, WSAID_WSARECVMSG);
        var source = IPAddress.Parse("127.0.0.3");
        Assert.Equal(0, sendMsg(sender, Message(to, "pi", Record(IPPROTO_IP, IP_PKTINFO, InPktInfo(source, 0))), 0, out _, null, null));
        var data = new byte[8];
        var msg = new WSAMSG { name = new byte[16], namelen = 16, lpBuffers = [new WSABUF(data)], dwBufferCount = 1, Control = new WSABUF(new byte[64]) };
        Assert.Equal(0, recvMsg(receiver, msg, out uint n, null, null));
        Assert.Equal("pi", Text(data, (int)n));
        Assert.Equal(source, SockAddr.ToEndPoint(msg.name!).Address);
        Assert.Equal(24u, msg.Control.len);
        Assert.Equal(IPAddress.Loopback, new IPAddress(msg.Control.buf.AsSpan(16, 4))); // the destination the sender chose
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }

    [Fact]
    public void WSASendMsg_Ipv6PktInfo_ChoosesSourceAndInterface()
    {
        int loIndex = NetworkInterface.IPv6LoopbackInterfaceIndex;
        var (spare, _, receiver, to) = UdpPair(AF_INET6);
        Ok(setsockopt(receiver, IPPROTO_IPV6, IPV6_PKTINFO, 1), "IPV6_PKTINFO");
        var sender = WildcardSender(AF_INET6);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var recvMsg = Load<LPFN_WSARECVMSG>(receiver, WSAID_WSARECVMSG);
        var control = Record(IPPROTO_IPV6, IPV6_PKTINFO, In6PktInfo(IPAddress.IPv6Loopback, (uint)loIndex));
        Assert.Equal(40, control.Length); // WSA_CMSG_SPACE(sizeof(IN6_PKTINFO))
        Assert.Equal(0, sendMsg(sender, Message(to, "six", control), 0, out uint sent, null, null));
        Assert.Equal(3u, sent);
        var data = new byte[8];
        var msg = new WSAMSG { name = new byte[28], namelen = 28, lpBuffers = [new WSABUF(data)], dwBufferCount = 1, Control = new WSABUF(new byte[64]) };
        Assert.Equal(0, recvMsg(receiver, msg, out uint n, null, null));
        Assert.Equal("six", Text(data, (int)n));
        Assert.Equal(IPAddress.IPv6Loopback, SockAddr.ToEndPoint(msg.name!).Address);
        var ctl = msg.Control.buf!;
        Assert.Equal(IPV6_PKTINFO, BinaryPrimitives.ReadInt32LittleEndian(ctl.AsSpan(12)));
        Assert.Equal((uint)loIndex, BinaryPrimitives.ReadUInt32LittleEndian(ctl.AsSpan(32)));
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }

    [Fact]
    public void WSASendMsg_Ipv6PktInfoNonLocalSource_WSAEINVAL()
    {
        // The packet information reaches the kernel: a source address no interface holds is refused, nothing is sent.
        var (spare, _, receiver, to) = UdpPair(AF_INET6);
        var sender = WildcardSender(AF_INET6);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var control = Record(IPPROTO_IPV6, IPV6_PKTINFO, In6PktInfo(IPAddress.Parse("2001:db8::5"), 0));
        Assert.Equal(SOCKET_ERROR, sendMsg(sender, Message(to, "no", control), 0, out _, null, null));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        Assert.Equal(0, sendMsg(sender, Message(to, "yes", null), 0, out _, null, null));
        Assert.Equal("yes", Receive(receiver).Text);
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }

    [Fact]
    public void WSASendMsg_IpPktInfoNonLocalSource_WSAENETUNREACH()
    {
        // The IPv4 stack finds no route from a source address no interface holds; nothing is sent.
        var (spare, _, receiver, to) = UdpPair();
        var sender = WildcardSender(AF_INET);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var control = Record(IPPROTO_IP, IP_PKTINFO, InPktInfo(IPAddress.Parse("192.0.2.5"), 0));
        Assert.Equal(SOCKET_ERROR, sendMsg(sender, Message(to, "no", control), 0, out _, null, null));
        Assert.Equal(WSAENETUNREACH, WSAGetLastError());
        Assert.Equal(0, sendMsg(sender, Message(to, "yes", null), 0, out _, null, null));
        Assert.Equal("yes", Receive(receiver).Text);
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }

    [Fact]
    public void WSASendMsg_ControlBuffersWithOffset_ReadAndWrittenAtTheirOffsets()
    {
        var (spare, _, receiver, to) = UdpPair();
        Ok(setsockopt(receiver, IPPROTO_IP, IP_PKTINFO, 1), "IP_PKTINFO");
        var sender = WildcardSender(AF_INET);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var recvMsg = Load<LPFN_WSARECVMSG>(receiver, WSAID_WSARECVMSG);
        var source = IPAddress.Parse("127.0.0.5");
        var outer = new byte[8 + 24];
        Array.Fill(outer, (byte)0xEE, 0, 8); // bytes before the offset that would be a malformed record
        Record(IPPROTO_IP, IP_PKTINFO, InPktInfo(source, 0)).CopyTo(outer, 8);
        var msg = Message(to, "off", null);
        msg.Control = new WSABUF(outer, 8, 24);
        Assert.Equal(0, sendMsg(sender, msg, 0, out _, null, null));
        var data = new byte[8];
        var inner = new byte[16 + 64];
        var rmsg = new WSAMSG { name = new byte[16], namelen = 16, lpBuffers = [new WSABUF(data)], dwBufferCount = 1, Control = new WSABUF(inner, 16, 64) };
        Assert.Equal(0, recvMsg(receiver, rmsg, out uint n, null, null));
        Assert.Equal("off", Text(data, (int)n));
        Assert.Equal(source, SockAddr.ToEndPoint(rmsg.name!).Address);
        Assert.Equal(24u, rmsg.Control.len);
        Assert.All(inner.AsSpan(0, 16).ToArray(), b => Assert.Equal(0, b)); // nothing before the offset
        Assert.Equal(24UL, BinaryPrimitives.ReadUInt64LittleEndian(inner.AsSpan(16)));
        Assert.Equal(IPAddress.Loopback, new IPAddress(inner.AsSpan(32, 4)));
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }

    [Fact]
    public void WSASendMsg_MalformedControl_WSAEINVAL()
    {
        var (spare, _, receiver, to) = UdpPair();
        var sender = WildcardSender(AF_INET);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var info = InPktInfo(IPAddress.Loopback, 0);
        var cases = new (string What, byte[] Control)[]
        {
            ("all zero (cmsg_len 0)", new byte[24]),
            ("cmsg_len shorter than the header", Record(IPPROTO_IP, IP_PKTINFO, info, cmsgLen: 8)),
            ("cmsg_len shorter than IN_PKTINFO", Record(IPPROTO_IP, IP_PKTINFO, info, cmsgLen: 20)),
            ("cmsg_len past the buffer", Record(IPPROTO_IP, IP_PKTINFO, info, cmsgLen: 32)),
            ("buffer shorter than a header", new byte[8]),
            ("unknown level", Record(SOL_SOCKET, IP_PKTINFO, info)),
            ("unknown type", Record(IPPROTO_IP, 1000, info)),
            ("IPV6_PKTINFO on an IPv4 socket", Record(IPPROTO_IPV6, IPV6_PKTINFO, In6PktInfo(IPAddress.IPv6Loopback, 0))),
            ("a good record then a bad one", [.. Record(IPPROTO_IP, IP_PKTINFO, info), .. Record(IPPROTO_IP, IP_PKTINFO, info, cmsgLen: 4)]),
        };
        foreach (var (what, control) in cases)
        {
            Assert.True(SOCKET_ERROR == sendMsg(sender, Message(to, "bad", control), 0, out uint sent, null, null), what);
            Assert.True(WSAEINVAL == WSAGetLastError(), $"{what}: {WSAGetLastError()}");
            Assert.Equal(0u, sent);
        }
        // None of them sent anything: the first datagram to arrive is the good one.
        Assert.Equal(0, sendMsg(sender, Message(to, "good", Record(IPPROTO_IP, IP_PKTINFO, info)), 0, out _, null, null));
        Assert.Equal("good", Receive(receiver).Text);
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }

    [Fact]
    public void WSASendMsg_BadPointers_WSAEFAULT()
    {
        var (a, _, b, to) = UdpPair();
        var sendMsg = Load<LPFN_WSASENDMSG>(a, WSAID_WSASENDMSG);
        var nullControl = Message(to, "x", null);
        nullControl.Control = new WSABUF { buf = null, len = 24 };
        Assert.Equal(SOCKET_ERROR, sendMsg(a, nullControl, 0, out _, null, null));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        var nullName = Message(to, "x", null);
        nullName.name = null;
        Assert.Equal(SOCKET_ERROR, sendMsg(a, nullName, 0, out _, null, null));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSASendMsg_StreamSocket_WSAEINVAL()
    {
        // The function is for datagram and raw sockets only.
        var (c, s) = TcpPair();
        var sendMsg = Load<LPFN_WSASENDMSG>(c, WSAID_WSASENDMSG);
        var plain = new WSAMSG { lpBuffers = [new WSABUF(Bytes("tcp"))], dwBufferCount = 1 };
        Assert.Equal(SOCKET_ERROR, sendMsg(c, plain, 0, out uint sent, null, null));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        Assert.Equal(0u, sent);
        plain.Control = new WSABUF(Record(IPPROTO_IP, IP_PKTINFO, InPktInfo(IPAddress.Loopback, 0)));
        Assert.Equal(SOCKET_ERROR, sendMsg(c, plain, 0, out _, null, null));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSASendMsg_OverlappedWithPktInfo_CompletesFromChosenSource()
    {
        var (spare, _, receiver, to) = UdpPair();
        var sender = WildcardSender(AF_INET);
        var sendMsg = Load<LPFN_WSASENDMSG>(sender, WSAID_WSASENDMSG);
        var source = IPAddress.Parse("127.0.0.4");
        var ov = Overlapped();
        int rc = sendMsg(sender, Message(to, "ovl", Record(IPPROTO_IP, IP_PKTINFO, InPktInfo(source, 0))), 0, out _, ov, null);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSASendMsg: {WSAGetLastError()}");
        Assert.True(Finish(sender, ov, out uint n));
        Assert.Equal(3u, n);
        Assert.Equal(("ovl", source), Receive(receiver));
        closesocket(sender); closesocket(receiver); closesocket(spare);
    }
}
