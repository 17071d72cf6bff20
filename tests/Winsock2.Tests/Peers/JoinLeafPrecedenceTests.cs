using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// WSAJoinLeaf with connect data on sockets that cannot join. The WSPJoinLeaf seed's error table names
/// WSAEPROTONOSUPPORT for caller data the provider cannot carry and has no WSAEINVAL row; WSAEINVAL for a socket made
/// without multipoint flags comes from the multipoint pages. Decision: the data check (a property of the catalog
/// entry, answered the same by WSAConnect on it) comes first, then whether the socket may join.
/// </summary>
public sealed class JoinLeafPrecedenceTests : WinsockTest
{
    [Fact]
    public void WSAJoinLeaf_CallerDataOnPlainTcp_WSAEPROTONOSUPPORT()
    {
        var (l, addr) = Listen();
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        try
        {
            Fails(WSAEPROTONOSUPPORT, WSAJoinLeaf(s, addr, addr.Length, new WSABUF(new byte[4]), null, null, null, JL_BOTH));
            Fails(WSAEPROTONOSUPPORT, WSAConnect(s, addr, addr.Length, new WSABUF(new byte[4]), null, null, null));
            Fails(WSAEINVAL, WSAJoinLeaf(s, addr, addr.Length, null, null, null, null, JL_BOTH)); // no data: not a multipoint socket
        }
        finally { closesocket(s); closesocket(l); }
    }

    [Fact]
    public void WSAJoinLeaf_CalleeDataOnUdpWithoutLeafFlags_WSAEPROTONOSUPPORT()
    {
        var s = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        try
        {
            var group = SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("239.255.0.1"), 5000));
            Fails(WSAEPROTONOSUPPORT, WSAJoinLeaf(s, group, group.Length, null, new WSABUF(new byte[4]), null, null, JL_BOTH));
            Fails(WSAEINVAL, WSAJoinLeaf(s, group, group.Length, null, null, null, null, JL_BOTH));
        }
        finally { closesocket(s); }
    }
}
