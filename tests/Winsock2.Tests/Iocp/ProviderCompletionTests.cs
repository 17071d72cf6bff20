using System.Net;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>Every kind of Inet socket completes to its port: UDP receives with their source, sends, and closesocket's aborts.</summary>
public class ProviderCompletionTests : IocpTest
{
    [Fact]
    public void WSARecvFrom_UdpSocketAssociated_CompletesToPortWithSource()
    {
        var port = NewPort();
        var (a, addrA, b, addrB) = UdpPair();
        Track(a); Track(b);
        Associate(b, port, 21);
        var buf = new byte[32];
        var from = new byte[16];
        int fromlen = from.Length;
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, WSARecvFrom(b, [new WSABUF(buf)], 1, out _, ref flags, from, ref fromlen, ov, null));
        Assert.Equal(5, sendto(a, Bytes("dgram"), 5, 0, addrB, addrB.Length));
        var got = Take(port);
        Assert.True(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal((5u, (nuint)21), (got.Bytes, got.Key));
        Assert.Equal("dgram", Text(buf, 5));
        Assert.Equal(SockAddr.ToEndPoint(addrA), SockAddr.ToEndPoint(from));
    }

    [Fact]
    public void WSASendTo_UdpSocketAssociated_CompletesToPort()
    {
        var port = NewPort();
        var (a, _, b, addrB) = UdpPair();
        Track(a); Track(b);
        Associate(a, port, 22);
        var ov = new WSAOVERLAPPED();
        int rc = WSASendTo(a, [new WSABUF(Bytes("out"))], 1, out _, 0, addrB, addrB.Length, ov, null);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
        var got = Take(port);
        Assert.True(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal((3u, (nuint)22), (got.Bytes, got.Key));
    }

    [Fact]
    public void Closesocket_ManyPendingReceives_EachCompletesToPortAborted()
    {
        const int Pending = 10;
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c);
        Associate(s, port, 8);
        var ovs = Enumerable.Range(0, Pending).Select(_ => new WSAOVERLAPPED()).ToArray();
        foreach (var ov in ovs) Fails(WSA_IO_PENDING, PostRecv(s, new byte[4], ov));
        Ok(closesocket(s));
        var entries = new OVERLAPPED_ENTRY[Pending];
        var seen = new List<WSAOVERLAPPED>();
        while (seen.Count < Pending)
        {
            Assert.True(GetQueuedCompletionStatusEx(port, entries, Pending, out uint n, 10_000, false), $"error {GetLastError()}");
            for (int i = 0; i < n; i++)
            {
                Assert.Equal((nuint)ERROR_OPERATION_ABORTED, entries[i].Internal);
                Assert.Equal((nuint)8, entries[i].lpCompletionKey);
                seen.Add(entries[i].lpOverlapped!);
            }
        }
        Assert.Equal(ovs, seen); // in posting order
        Assert.Equal(WAIT_TIMEOUT, Take(port, 0).Error);
    }

    [Fact]
    public void WSARecv_AcceptedSocketOfAssociatedListener_NotAssociatedUntilItsOwnCall()
    {
        var port = NewPort();
        var (l, addr) = Listen();
        Track(l);
        Associate(l, port, 1);
        var c = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(connect(c, addr, addr.Length));
        var s = Track(accept(l));
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[4], ov));
        Assert.Equal(1, send(c, [1], 1, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.Equal(WAIT_TIMEOUT, Take(port, 0).Error); // a handle's association is its own, as on Windows
        Associate(s, port, 2);
    }
}
