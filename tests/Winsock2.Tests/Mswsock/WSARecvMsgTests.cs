using System.Buffers.Binary;
using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>WSARecvMsg with IP_PKTINFO / IPV6_PKTINFO control data, and WSASendMsg.</summary>
public class WSARecvMsgTests : MswsockTest
{
    private static WSAMSG Message(byte[] data, int control) => new()
    {
        name = new byte[28],
        namelen = 28,
        lpBuffers = [new WSABUF(data)],
        dwBufferCount = 1,
        Control = new WSABUF(new byte[control]),
    };

    [Fact]
    public void WSARecvMsg_IpPktInfo_ReportsDestinationAddress()
    {
        var (a, addrA, b, addrB) = UdpPair();
        var recvMsg = Load<LPFN_WSARECVMSG>(b, WSAID_WSARECVMSG);
        Ok(setsockopt(b, IPPROTO_IP, IP_PKTINFO, 1), "IP_PKTINFO");
        Assert.Equal(3, sendto(a, Bytes("pkt"), 3, 0, addrB, addrB.Length));
        var data = new byte[16];
        var msg = Message(data, 64);
        Assert.Equal(0, recvMsg(b, msg, out uint n, null, null));
        Assert.Equal(3u, n);
        Assert.Equal("pkt", Text(data, 3));
        Assert.Equal(16, msg.namelen);
        Assert.Equal(PortOf(a), SockAddr.ToEndPoint(msg.name!).Port);
        // One WSACMSGHDR: cmsg_len (SIZE_T) = 16 + sizeof(IN_PKTINFO), IPPROTO_IP, IP_PKTINFO, then IN_PKTINFO { ipi_addr, ipi_ifindex }.
        Assert.Equal(24u, msg.Control.len);
        var ctl = msg.Control.buf!;
        Assert.Equal(24UL, BinaryPrimitives.ReadUInt64LittleEndian(ctl));
        Assert.Equal(IPPROTO_IP, BinaryPrimitives.ReadInt32LittleEndian(ctl.AsSpan(8)));
        Assert.Equal(IP_PKTINFO, BinaryPrimitives.ReadInt32LittleEndian(ctl.AsSpan(12)));
        Assert.Equal(IPAddress.Loopback, new IPAddress(ctl.AsSpan(16, 4)));
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(ctl.AsSpan(20)) > 0); // the loopback interface's index
        Assert.Equal(0u, msg.dwFlags);
        closesocket(a); closesocket(b);
        GC.KeepAlive(addrA);
    }

    [Fact]
    public void WSARecvMsg_Ipv6PktInfo_ReportsDestinationAddress()
    {
        var (a, _, b, addrB) = UdpPair(AF_INET6);
        var recvMsg = Load<LPFN_WSARECVMSG>(b, WSAID_WSARECVMSG);
        Ok(setsockopt(b, IPPROTO_IPV6, IPV6_PKTINFO, 1), "IPV6_PKTINFO");
        Assert.Equal(2, sendto(a, Bytes("v6"), 2, 0, addrB, addrB.Length));
        var msg = Message(new byte[8], 64);
        Assert.Equal(0, recvMsg(b, msg, out uint n, null, null));
        Assert.Equal(2u, n);
        Assert.Equal(28, msg.namelen);
        var ctl = msg.Control.buf!;
        Assert.Equal(16u + 20u, (uint)BinaryPrimitives.ReadUInt64LittleEndian(ctl));
        Assert.Equal(IPPROTO_IPV6, BinaryPrimitives.ReadInt32LittleEndian(ctl.AsSpan(8)));
        Assert.Equal(IPV6_PKTINFO, BinaryPrimitives.ReadInt32LittleEndian(ctl.AsSpan(12)));
        Assert.Equal(IPAddress.IPv6Loopback, new IPAddress(ctl.AsSpan(16, 16)));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecvMsg_ControlBufferTooShort_MSG_CTRUNC()
    {
        var (a, _, b, addrB) = UdpPair();
        var recvMsg = Load<LPFN_WSARECVMSG>(b, WSAID_WSARECVMSG);
        Ok(setsockopt(b, IPPROTO_IP, IP_PKTINFO, 1));
        Assert.Equal(1, sendto(a, [9], 1, 0, addrB, addrB.Length));
        var msg = Message(new byte[8], 8);
        Assert.Equal(0, recvMsg(b, msg, out uint n, null, null));
        Assert.Equal(1u, n);
        Assert.Equal((uint)MSG_CTRUNC, msg.dwFlags & (uint)MSG_CTRUNC);
        Assert.Equal(0u, msg.Control.len);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecvMsg_WithoutPktInfo_NoControlData()
    {
        var (a, _, b, addrB) = UdpPair();
        var recvMsg = Load<LPFN_WSARECVMSG>(b, WSAID_WSARECVMSG);
        Assert.Equal(1, sendto(a, [9], 1, 0, addrB, addrB.Length));
        var msg = Message(new byte[8], 64);
        Assert.Equal(0, recvMsg(b, msg, out _, null, null));
        Assert.Equal(0u, msg.Control.len);
        Assert.Equal(0u, msg.dwFlags);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecvMsg_DatagramLargerThanBuffers_WSAEMSGSIZEWithMSG_TRUNC()
    {
        var (a, _, b, addrB) = UdpPair();
        var recvMsg = Load<LPFN_WSARECVMSG>(b, WSAID_WSARECVMSG);
        Assert.Equal(10, sendto(a, Bytes("0123456789"), 10, 0, addrB, addrB.Length));
        var msg = Message(new byte[4], 64);
        Assert.Equal(SOCKET_ERROR, recvMsg(b, msg, out _, null, null));
        Assert.Equal(WSAEMSGSIZE, WSAGetLastError());
        Assert.Equal((uint)MSG_TRUNC, msg.dwFlags & (uint)MSG_TRUNC);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecvMsg_Overlapped_CompletesWithControlData()
    {
        var (a, _, b, addrB) = UdpPair();
        var recvMsg = Load<LPFN_WSARECVMSG>(b, WSAID_WSARECVMSG);
        Ok(setsockopt(b, IPPROTO_IP, IP_PKTINFO, 1));
        var data = new byte[8];
        var msg = Message(data, 64);
        var ov = Overlapped();
        Assert.Equal(SOCKET_ERROR, recvMsg(b, msg, out _, ov, null));
        Assert.Equal(WSA_IO_PENDING, WSAGetLastError());
        Assert.Equal(2, sendto(a, Bytes("ov"), 2, 0, addrB, addrB.Length));
        Assert.True(Finish(b, ov, out uint n));
        Assert.Equal(2u, n);
        Assert.Equal("ov", Text(data, 2));
        Assert.Equal(24u, msg.Control.len);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecvMsg_StreamOrBadMessage_DocumentedErrors()
    {
        var (c, s) = TcpPair();
        var recvMsg = Load<LPFN_WSARECVMSG>(c, WSAID_WSARECVMSG);
        Assert.Equal(SOCKET_ERROR, recvMsg(c, Message(new byte[4], 16), out _, null, null));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        Assert.Equal(SOCKET_ERROR, recvMsg(c, null!, out _, null, null));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        var bad = Message(new byte[4], 16);
        bad.dwBufferCount = 2;
        Assert.Equal(SOCKET_ERROR, recvMsg(c, bad, out _, null, null));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        Fails(WSAEINVAL, setsockopt(c, IPPROTO_IP, IP_PKTINFO, 1));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSASendMsg_SendsToName()
    {
        var (a, _, b, addrB) = UdpPair();
        var sendMsg = Load<LPFN_WSASENDMSG>(a, WSAID_WSASENDMSG);
        var msg = new WSAMSG { name = addrB, namelen = addrB.Length, lpBuffers = [new WSABUF(Bytes("msg"))], dwBufferCount = 1 };
        Assert.Equal(0, sendMsg(a, msg, 0, out uint sent, null, null));
        Assert.Equal(3u, sent);
        var got = new byte[8];
        Assert.Equal(3, recv(b, got, 8, 0));
        Assert.Equal("msg", Text(got, 3));
        msg.Control = new WSABUF(new byte[24]); // a record with cmsg_len 0 is malformed
        Assert.Equal(SOCKET_ERROR, sendMsg(a, msg, 0, out _, null, null));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        closesocket(a); closesocket(b);
    }
}
