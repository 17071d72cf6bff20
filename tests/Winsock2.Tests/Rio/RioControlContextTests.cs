using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>
/// RIOReceiveEx's and RIOSendEx's control-context slice, a RIO_CMSG_BUFFER (ULONG TotalLength, then WSACMSGHDR records
/// from RIO_CMSG_BASE_SIZE): a UDP receive reports the datagram's packet information there when IP_PKTINFO /
/// IPV6_PKTINFO is on, and a UDP send takes its source from the IP_PKTINFO record there, as WSARecvMsg / WSASendMsg do.
/// </summary>
public class RioControlContextTests : RioTest
{
    private const int ControlAt = 128, FlagsAt = 224;

    /// <summary>The slice's TotalLength.</summary>
    private static uint TotalLength(byte[] buffer) => BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(ControlAt));

    [Theory]
    [InlineData(AF_INET)]
    [InlineData(AF_INET6)]
    public void RIOReceiveEx_UdpPacketInfoOn_ControlContextHoldsThePacketInfoRecord(int af)
    {
        var s = RioUdp(out var addr, af);
        Ok(af == AF_INET ? setsockopt(s, IPPROTO_IP, IP_PKTINFO, 1) : setsockopt(s, IPPROTO_IPV6, IPV6_PKTINFO, 1), "PKTINFO on");
        var peer = PlainUdp(out _, af);
        var (t, cq, rq, buffer, id) = Rig(s, 256);
        Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 32), 1, default, default, new RIO_BUF(id, ControlAt, 64), new RIO_BUF(id, FlagsAt, 4), 0, 7));
        Assert.Equal(2, sendto(peer, Bytes("pi"), 2, 0, addr, addr.Length));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal((0, 2u, 7ul), (r.Status, r.BytesTransferred, r.RequestContext));
        int info = af == AF_INET ? 8 : 20; // IN_PKTINFO / IN6_PKTINFO
        int record = 16 + info;
        Assert.Equal((uint)(RIO_CMSG_BASE_SIZE + ((record + 7) & ~7)), TotalLength(buffer));
        var rec = buffer.AsSpan(ControlAt + RIO_CMSG_BASE_SIZE);
        Assert.Equal((ulong)record, BinaryPrimitives.ReadUInt64LittleEndian(rec)); // cmsg_len
        Assert.Equal(af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6, BinaryPrimitives.ReadInt32LittleEndian(rec[8..]));
        Assert.Equal(af == AF_INET ? IP_PKTINFO : IPV6_PKTINFO, BinaryPrimitives.ReadInt32LittleEndian(rec[12..]));
        var destination = af == AF_INET ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        Assert.Equal(destination, new IPAddress(rec.Slice(16, af == AF_INET ? 4 : 16)));
        int loIndex = af == AF_INET ? NetworkInterface.LoopbackInterfaceIndex : NetworkInterface.IPv6LoopbackInterfaceIndex;
        Assert.Equal(loIndex, BinaryPrimitives.ReadInt32LittleEndian(rec[(16 + info - 4)..]));
        Assert.Equal(0u, BitConverter.ToUInt32(buffer, FlagsAt));
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOReceiveEx_PacketInfoOff_ControlContextHoldsNoRecord()
    {
        var s = RioUdp(out var addr);
        var peer = PlainUdp(out _);
        var (t, cq, rq, buffer, id) = Rig(s, 256);
        buffer.AsSpan(ControlAt, 64).Fill(0xEE);
        Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 32), 1, default, default, new RIO_BUF(id, ControlAt, 64), default, 0, 1));
        Assert.Equal(3, sendto(peer, Bytes("abc"), 3, 0, addr, addr.Length));
        Assert.Equal(0, Dequeue(t, cq, 1)[0].Status);
        Assert.Equal((uint)RIO_CMSG_BASE_SIZE, TotalLength(buffer)); // RIO_CMSG_FIRSTHDR finds no record
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOReceiveEx_ControlContextTooShortForTheRecord_MSG_CTRUNC()
    {
        var s = RioUdp(out var addr);
        Ok(setsockopt(s, IPPROTO_IP, IP_PKTINFO, 1), "IP_PKTINFO");
        var peer = PlainUdp(out _);
        var (t, cq, rq, buffer, id) = Rig(s, 256);
        Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 32), 1, default, default, new RIO_BUF(id, ControlAt, 20), new RIO_BUF(id, FlagsAt, 4), 0, 1));
        Assert.Equal(3, sendto(peer, Bytes("abc"), 3, 0, addr, addr.Length));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal((0, 3u), (r.Status, r.BytesTransferred)); // the data still arrives
        Assert.Equal((uint)RIO_CMSG_BASE_SIZE, TotalLength(buffer));
        Assert.Equal((uint)MSG_CTRUNC, BitConverter.ToUInt32(buffer, FlagsAt));
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOReceiveEx_ControlContextShorterThanItsHeader_WSAEFAULT()
    {
        var s = RioUdp(out _);
        var (t, _, rq, _, id) = Rig(s, 256);
        Assert.Equal(0, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 32), 1, default, default, new RIO_BUF(id, ControlAt, 3), default, 0, 1));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        FailsWith(WSAEFAULT, t.RIOSendEx!(rq, new RIO_BUF(id, 0, 32), 1, default, default, new RIO_BUF(id, ControlAt, 3), default, 0, 1));
        closesocket(s);
    }

    [Fact]
    public void RIOReceiveEx_Tcp_ControlContextHoldsNoRecord()
    {
        var (c, s) = RioTcpPair();
        var (t, cq, rq, buffer, id) = Rig(s, 256);
        buffer.AsSpan(ControlAt, 64).Fill(0xEE);
        Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 32), 1, default, default, new RIO_BUF(id, ControlAt, 64), default, 0, 1));
        Assert.Equal(4, send(c, Bytes("data"), 4, 0));
        Assert.Equal((0, 4u), Dequeue(t, cq, 1).Select(r => (r.Status, r.BytesTransferred)).Single());
        Assert.Equal((uint)RIO_CMSG_BASE_SIZE, TotalLength(buffer));
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOSendEx_UdpPacketInfoRecord_ChoosesTheSourceAddress()
    {
        var s = RioSocket(SOCK_DGRAM);
        var any = SockAddr.From(new IPEndPoint(IPAddress.Any, 0));
        Ok(bind(s, any, any.Length), "bind to the wildcard address"); // so a datagram's source may be chosen per send
        var dest = PlainUdp(out var destAddr);
        var (t, cq, rq, buffer, id) = Rig(s, 256);
        Bytes("src").CopyTo(buffer, 0);
        destAddr.CopyTo(buffer, 64);
        var source = IPAddress.Parse("127.0.0.2");
        // RIO_CMSG_BUFFER { TotalLength } then WSACMSGHDR { cmsg_len = 24, IPPROTO_IP, IP_PKTINFO } IN_PKTINFO { 127.0.0.2, 0 }
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(ControlAt), (uint)(RIO_CMSG_BASE_SIZE + 24));
        var rec = buffer.AsSpan(ControlAt + RIO_CMSG_BASE_SIZE);
        BinaryPrimitives.WriteUInt64LittleEndian(rec, 24);
        BinaryPrimitives.WriteInt32LittleEndian(rec[8..], IPPROTO_IP);
        BinaryPrimitives.WriteInt32LittleEndian(rec[12..], IP_PKTINFO);
        source.GetAddressBytes().CopyTo(rec[16..]);
        Assert.True(t.RIOSendEx!(rq, new RIO_BUF(id, 0, 3), 1, default, new RIO_BUF(id, 64, 28), new RIO_BUF(id, ControlAt, 64), default, 0, 2));
        Assert.Equal((0, 3u), Dequeue(t, cq, 1).Select(r => (r.Status, r.BytesTransferred)).Single());
        var got = new byte[8];
        var from = new byte[28];
        int fromlen = from.Length;
        Assert.Equal(3, recvfrom(dest, got, got.Length, 0, from, ref fromlen));
        Assert.Equal(("src", source), (Text(got, 3), SockAddr.ToEndPoint(from).Address));
        closesocket(dest);
        closesocket(s);
    }

    [Fact]
    public void RIOSendEx_UdpUnsupportedControlRecord_ThatSendCompletesWithWSAEINVAL()
    {
        var s = RioUdp(out _);
        var dest = PlainUdp(out var destAddr);
        var (t, cq, rq, buffer, id) = Rig(s, 256);
        destAddr.CopyTo(buffer, 64);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(ControlAt), (uint)(RIO_CMSG_BASE_SIZE + 24));
        var rec = buffer.AsSpan(ControlAt + RIO_CMSG_BASE_SIZE);
        BinaryPrimitives.WriteUInt64LittleEndian(rec, 24);
        BinaryPrimitives.WriteInt32LittleEndian(rec[8..], IPPROTO_IP);
        BinaryPrimitives.WriteInt32LittleEndian(rec[12..], 99); // no such record type
        Assert.True(t.RIOSendEx!(rq, new RIO_BUF(id, 0, 3), 1, default, new RIO_BUF(id, 64, 28), new RIO_BUF(id, ControlAt, 64), default, 0, 2));
        Assert.Equal((WSAEINVAL, 0u), Dequeue(t, cq, 1).Select(r => (r.Status, r.BytesTransferred)).Single());
        closesocket(dest);
        closesocket(s);
    }
}
