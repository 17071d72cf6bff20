using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>htons/htonl/htonll and inverses; the WSA forms check the API state and the socket.</summary>
public sealed class ByteOrderTests : WinsockTest
{
    [Fact]
    public void htons_htonl_htonll_NetworkOrderIsBigEndian()
    {
        Assert.Equal((ushort)0x3412, htons(0x1234));
        Assert.Equal(0x78563412u, htonl(0x12345678));
        Assert.Equal(0xEFCDAB8967452301ul, htonll(0x0123456789ABCDEF));
        Assert.Equal((ushort)0x1234, ntohs(htons(0x1234)));
        Assert.Equal(0x12345678u, ntohl(htonl(0x12345678)));
        Assert.Equal(0x0123456789ABCDEFul, ntohll(htonll(0x0123456789ABCDEF)));
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, BitConverter.GetBytes(htonl(INADDR_LOOPBACK)));
    }

    [Fact]
    public void WSAHtons_WSAHtonl_WSANtohs_WSANtohl_LiveSocket_ConvertLikeHtons()
    {
        var s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        try
        {
            Assert.Equal(0, WSAHtons(s, 0x1234, out ushort ns));
            Assert.Equal(htons(0x1234), ns);
            Assert.Equal(0, WSAHtonl(s, 0x12345678, out uint nl));
            Assert.Equal(htonl(0x12345678), nl);
            Assert.Equal(0, WSANtohs(s, ns, out ushort hs));
            Assert.Equal((ushort)0x1234, hs);
            Assert.Equal(0, WSANtohl(s, nl, out uint hl));
            Assert.Equal(0x12345678u, hl);
        }
        finally { closesocket(s); }
    }

    [Fact]
    public void WSAHtons_NotASocket_WSAENOTSOCK()
    {
        Assert.Equal(SOCKET_ERROR, WSAHtons(new SOCKET(0x7FFFFFF0), 1, out _));
        Assert.Equal(WSAENOTSOCK, WSAGetLastError());
        Assert.Equal(SOCKET_ERROR, WSANtohl(INVALID_SOCKET, 1, out _));
        Assert.Equal(WSAENOTSOCK, WSAGetLastError());
    }

    [Fact]
    public void WSAHtonl_NotStarted_WSANOTINITIALISED()
    {
        Assert.Equal(0, WSACleanup());
        try
        {
            Assert.Equal(SOCKET_ERROR, WSAHtonl(new SOCKET(0x100), 1, out _));
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
        }
        finally { Assert.Equal(0, WSAStartup(0x0202, out _)); }
    }
}
