using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>
/// One table serves every socket of its provider, as mswsock's does: the functions fetched through one catalog entry's
/// socket (UDP over IPv4) take the provider's other sockets (TCP over IPv6) too.
/// </summary>
public sealed class RioTableSharingTests : RioTest
{
    [Fact]
    public void RIOCreateRequestQueue_TableFetchedOnUdpSocket_TakesTcpIpv6Socket()
    {
        var udp = RioSocket(SOCK_DGRAM);
        var t = Table(udp);
        var (c, s) = RioTcpPair(AF_INET6);
        try
        {
            var cq = Cq(t);
            var rq = Rq(t, c, cq);
            var buf = new byte[16];
            var id = Register(t, buf);
            Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, 0, 7), $"RIOReceive failed with {WSAGetLastError()}");
            Assert.Equal(3, send(s, "abc"u8.ToArray(), 3, 0));
            var results = Dequeue(t, cq, 1);
            Assert.Equal(0, results[0].Status);
            Assert.Equal(3u, results[0].BytesTransferred);
            Assert.Equal(7ul, results[0].RequestContext);
            t.RIOCloseCompletionQueue!(cq);
        }
        finally
        {
            closesocket(c);
            closesocket(s);
            closesocket(udp);
        }
    }

    [Fact]
    public void RIOCreateRequestQueue_SocketOfAnotherProvider_WSAENOTSOCK()
    {
        var udp = RioSocket(SOCK_DGRAM);
        var leaf = Check(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0,
            RioFlags | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF));
        try
        {
            var t = Table(udp);
            var cq = Cq(t);
            FailsWith(WSAENOTSOCK, t.RIOCreateRequestQueue!(leaf, 8, 1, 8, 1, cq, cq, 0));
            t.RIOCloseCompletionQueue!(cq);
        }
        finally
        {
            closesocket(leaf);
            closesocket(udp);
        }
    }
}
