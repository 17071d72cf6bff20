using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>Registered I/O on UDP: one datagram per request, RIOReceiveEx's remote address, RIOSendEx's destination.</summary>
public class RioDatagramTests : RioTest
{
    [Fact]
    public void RIOReceive_Udp_OneDatagramPerRequest()
    {
        var s = RioUdp(out var addr);
        var peer = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq, 4, 1, context: 9);
        var buffer = new byte[64];
        var id = Register(t, buffer);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 32), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 32, 32), 1, 0, 2));
        Assert.Equal(3, sendto(peer, Bytes("one"), 3, 0, addr, addr.Length));
        Assert.Equal(3, sendto(peer, Bytes("two"), 3, 0, addr, addr.Length));
        var all = Dequeue(t, cq, 2);
        Assert.Equal([(1ul, 3u), (2ul, 3u)], all.Select(r => (r.RequestContext, r.BytesTransferred)));
        Assert.Equal("one", Text(buffer, 3));
        Assert.Equal("two", Text(buffer[32..], 3));
        closesocket(peer);
        closesocket(s);
    }

    [Theory]
    [InlineData(AF_INET)]
    [InlineData(AF_INET6)]
    public void RIOReceiveEx_Udp_WritesSendersAddress(int af)
    {
        var s = RioUdp(out var addr, af);
        var peer = PlainUdp(out var peerAddr, af);
        var (t, cq, rq, buffer, id) = Rig(s, 128);
        Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 32), 1, default, new RIO_BUF(id, 64, 28), default, new RIO_BUF(id, 96, 4), 0, 5));
        Assert.Equal(4, sendto(peer, Bytes("ping"), 4, 0, addr, addr.Length));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal((0, 4u, 5ul), (r.Status, r.BytesTransferred, r.RequestContext));
        Assert.Equal(af, BitConverter.ToUInt16(buffer, 64)); // Windows' family numbering (AF_INET6 = 23)
        Assert.Equal(SockAddr.ToEndPoint(peerAddr), SockAddr.ToEndPoint(buffer[64..92]));
        Assert.Equal(0u, BitConverter.ToUInt32(buffer, 96));
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOSendEx_Udp_SendsToTheAddressSlice()
    {
        var s = RioUdp(out _);
        var dest = PlainUdp(out var destAddr);
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq);
        var buffer = new byte[64];
        Bytes("datagram").CopyTo(buffer, 0);
        destAddr.CopyTo(buffer, 32);
        var id = Register(t, buffer);
        Assert.True(t.RIOSendEx!(rq, new RIO_BUF(id, 0, 8), 1, default, new RIO_BUF(id, 32, 28), default, default, 0, 3));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal((0, 8u, 3ul), (r.Status, r.BytesTransferred, r.RequestContext));
        var got = new byte[16];
        var from = new byte[28];
        int fromlen = from.Length;
        Assert.Equal(8, recvfrom(dest, got, got.Length, 0, from, ref fromlen));
        Assert.Equal("datagram", Text(got, 8));
        Assert.Equal(PortOf(s), SockAddr.ToEndPoint(from).Port);
        closesocket(dest);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_DatagramLargerThanSlice_WSAEMSGSIZE()
    {
        var s = RioUdp(out var addr);
        var peer = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var (t, cq, rq, buffer, id) = Rig(s, 64);
        Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 4), 1, default, default, default, new RIO_BUF(id, 32, 4), 0, 1));
        Assert.Equal(10, sendto(peer, Bytes("0123456789"), 10, 0, addr, addr.Length));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal(WSAEMSGSIZE, r.Status);
        Assert.Equal(4u, r.BytesTransferred);
        Assert.Equal("0123", Text(buffer, 4));
        Assert.Equal((uint)MSG_TRUNC, BitConverter.ToUInt32(buffer, 32));
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_UdpWithoutData_CompletesPerDatagram()
    {
        var s = RioUdp(out var addr);
        var peer = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var (t, cq, rq, buffer, id) = Rig(s, 64);
        Assert.Equal(1, t.RIOReceiveEx!(rq, default, 0, default, new RIO_BUF(id, 0, 28), default, default, 0, 4));
        Assert.Equal(3, sendto(peer, Bytes("abc"), 3, 0, addr, addr.Length));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal((0, 4ul), (r.Status, r.RequestContext));
        Assert.Equal(AF_INET, BitConverter.ToUInt16(buffer, 0));
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOReceiveEx_LocalAddressSlice_TheBoundAddress()
    {
        var s = RioUdp(out var addr);
        var peer = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var (t, cq, rq, buffer, id) = Rig(s, 64);
        Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 8), 1, new RIO_BUF(id, 32, 28), default, default, default, 0, 1));
        Assert.Equal(1, sendto(peer, Bytes("x"), 1, 0, addr, addr.Length));
        Assert.Equal(0, Dequeue(t, cq, 1)[0].Status);
        Assert.Equal(SockAddr.ToEndPoint(addr), SockAddr.ToEndPoint(buffer[32..48]));
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOSend_ConnectedUdp_GoesToThePeer()
    {
        var s = RioUdp(out var addr);
        var dest = PlainUdp(out var destAddr);
        Ok(connect(s, destAddr, destAddr.Length), "connect");
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq);
        var id = Register(t, Bytes("abc"));
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 0, 3), 1, 0, 1));
        Assert.Equal((0, 3u), Dequeue(t, cq, 1).Select(r => (r.Status, r.BytesTransferred)).Single());
        var got = new byte[8];
        Assert.Equal(3, recv(dest, got, 8, 0));
        Assert.Equal("abc", Text(got, 3));
        closesocket(dest);
        closesocket(s);
    }

    [Fact]
    public void RIOReceiveEx_ManyDatagramsWaiting_EachInItsRequestInOrder()
    {
        var s = RioUdp(out var addr);
        var peer = PlainUdp(out _);
        var t = Table(s);
        var cq = Cq(t, 64);
        var rq = Rq(t, s, cq, 24, 1);
        for (int i = 0; i < 20; i++) Assert.Equal(i + 1, sendto(peer, Enumerable.Repeat((byte)i, i + 1).ToArray(), i + 1, 0, addr, addr.Length));
        var data = new byte[20 * 32];
        var names = new byte[20 * 28];
        RIO_BUFFERID d = Register(t, data), n = Register(t, names);
        for (int i = 0; i < 20; i++) // deferred, then committed at once: the transport sees all twenty together
            Assert.Equal(1, t.RIOReceiveEx!(rq, new RIO_BUF(d, (uint)i * 32, 32), 1, default, new RIO_BUF(n, (uint)i * 28, 28), default, default, RIO_MSG_DEFER, i));
        Assert.True(t.RIOReceive!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        var all = Dequeue(t, cq, 20);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal((0, (uint)(i + 1), (ulong)i), (all[i].Status, all[i].BytesTransferred, all[i].RequestContext));
            Assert.All(data.Skip(i * 32).Take(i + 1), b => Assert.Equal((byte)i, b));
            Assert.Equal(PortOf(peer), SockAddr.ToEndPoint(names[(i * 28)..(i * 28 + 16)]).Port);
        }
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOSendEx_ManyCommittedAtOnce_EachDatagramInOrder_ABadAddressFailsAlone()
    {
        var s = RioUdp(out _);
        var dest = PlainUdp(out var destAddr);
        var t = Table(s);
        var cq = Cq(t, 64);
        var rq = Rq(t, s, cq, 1, 24);
        var data = new byte[20 * 8];
        var names = new byte[20 * 28];
        for (int i = 0; i < 20; i++)
        {
            data[i * 8] = (byte)i;
            if (i != 7) destAddr.CopyTo(names, i * 28); // the eighth has no address family
        }
        RIO_BUFFERID d = Register(t, data), n = Register(t, names);
        for (int i = 0; i < 20; i++)
            Assert.True(t.RIOSendEx!(rq, new RIO_BUF(d, (uint)i * 8, 8), 1, default, new RIO_BUF(n, (uint)i * 28, 28), default, default, RIO_MSG_DEFER, i));
        Assert.True(t.RIOSend!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        var all = Dequeue(t, cq, 20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ulong)i), all.Select(r => r.RequestContext));
        for (int i = 0; i < 20; i++)
            Assert.Equal(i == 7 ? (WSAEAFNOSUPPORT, 0u) : (0, 8u), (all[i].Status, all[i].BytesTransferred));
        var got = new byte[16];
        foreach (int i in Enumerable.Range(0, 20).Where(i => i != 7))
        {
            Assert.Equal(8, recv(dest, got, got.Length, 0));
            Assert.Equal((byte)i, got[0]);
        }
        closesocket(dest);
        closesocket(s);
    }
}
