using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// WSASocket's choice and error precedence, row by row from the (family, type, protocol) table of Wine's
/// test_WSASocket (dlls/ws2_32/tests/sock.c), which records what Windows answers. Rows whose family is only
/// Windows' (none here) are all the AF_INET / AF_UNSPEC / bad-value rows of that table.
/// </summary>
public sealed class WSASocketPeerTests : WinsockTest
{
    private const int Bad = 0xdead;

    public static TheoryData<int, int, int, int> Failing => new()
    {
        // Mirrors test_WSASocket rows 0–9: the bad member decides; a bad type wins over a bad family.
        { Bad, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT },
        { -1, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT },
        { AF_INET, Bad, IPPROTO_TCP, WSAESOCKTNOSUPPORT },
        { AF_INET, -1, IPPROTO_TCP, WSAESOCKTNOSUPPORT },
        { AF_INET, SOCK_STREAM, Bad, WSAEPROTONOSUPPORT },
        { AF_INET, SOCK_STREAM, -1, WSAEPROTONOSUPPORT },
        { Bad, Bad, IPPROTO_TCP, WSAESOCKTNOSUPPORT },
        { Bad, SOCK_STREAM, Bad, WSAEAFNOSUPPORT },
        { AF_INET, Bad, Bad, WSAESOCKTNOSUPPORT },
        { Bad, SOCK_STREAM, IPPROTO_UDP, WSAEAFNOSUPPORT },
        // Rows 12, 15, 17, 18.
        { AF_INET, Bad, 0, WSAESOCKTNOSUPPORT },
        { AF_INET, 0, Bad, WSAEPROTONOSUPPORT },
        { AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT },
        { AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT },
        // Rows 20–24, 27, 28: AF_UNSPEC with protocol 0 is WSAEINVAL before anything else.
        { AF_UNSPEC, SOCK_STREAM, Bad, WSAEPROTONOSUPPORT },
        { AF_UNSPEC, Bad, IPPROTO_UDP, WSAESOCKTNOSUPPORT },
        { AF_UNSPEC, SOCK_STREAM, 0, WSAEINVAL },
        { AF_UNSPEC, SOCK_DGRAM, 0, WSAEINVAL },
        { AF_UNSPEC, Bad, 0, WSAEINVAL },
        { AF_UNSPEC, 0, Bad, WSAEPROTONOSUPPORT },
        { AF_UNSPEC, 0, 0, WSAEINVAL },
    };

    // Mirrors Wine test_WSASocket (the error rows of its table).
    [Theory]
    [MemberData(nameof(Failing))]
    public void WSASocket_PeerTableRow_FailsWithRecordedError(int af, int type, int protocol, int error)
    {
        Fails(error, WSASocket(af, type, protocol, null, 0, 0));
    }

    public static TheoryData<int, int, int, int, int> Succeeding => new()
    {
        // Rows 10, 11, 13, 14, 16, 19, 25, 26: what the socket is (SO_PROTOCOL_INFOW).
        { AF_INET, SOCK_STREAM, 0, SOCK_STREAM, IPPROTO_TCP },
        { AF_INET, SOCK_DGRAM, 0, SOCK_DGRAM, IPPROTO_UDP },
        { AF_INET, 0, IPPROTO_TCP, SOCK_STREAM, IPPROTO_TCP },
        { AF_INET, 0, IPPROTO_UDP, SOCK_DGRAM, IPPROTO_UDP },
        { AF_INET, 0, 0, SOCK_STREAM, IPPROTO_TCP },
        { AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, SOCK_STREAM, IPPROTO_TCP },
        { AF_UNSPEC, 0, IPPROTO_TCP, SOCK_STREAM, IPPROTO_TCP },
        { AF_UNSPEC, 0, IPPROTO_UDP, SOCK_DGRAM, IPPROTO_UDP },
    };

    // Mirrors Wine test_WSASocket (the success rows of its table; AF_UNSPEC gives AF_INET, or AF_INET6 as Windows 11 does).
    [Theory]
    [MemberData(nameof(Succeeding))]
    public void WSASocket_PeerTableRow_CreatesTheRecordedSocket(int af, int type, int protocol, int retType, int retProtocol)
    {
        var s = Check(WSASocket(af, type, protocol, null, 0, 0));
        try
        {
            Ok(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, out WSAPROTOCOL_INFOW? info));
            Assert.Contains(info!.iAddressFamily, new[] { AF_INET, AF_INET6 });
            if (af == AF_INET) Assert.Equal(AF_INET, info.iAddressFamily);
            Assert.Equal(retType, info.iSocketType);
            Assert.Equal(retProtocol, info.iProtocol);
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_WSASocket ("find what parameters are used first"): with a WSAPROTOCOL_INFO, zero members
    // come from the structure, and a structure whose family is not its entry's is WSAEAFNOSUPPORT.
    [Fact]
    public void WSASocket_ProtocolInfoMembers_ZerosTakenFromTheStructure()
    {
        var udp = Check(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0));
        Ok(getsockopt(udp, SOL_SOCKET, SO_PROTOCOL_INFOW, out WSAPROTOCOL_INFOW? info));
        closesocket(udp);

        var s = Check(WSASocket(0, 0, 0, info, 0, 0));
        Ok(getsockopt(s, SOL_SOCKET, SO_TYPE, out int type));
        Assert.Equal(SOCK_DGRAM, type);
        closesocket(s);

        var bogus = info!.Clone();
        bogus.iAddressFamily = -1;
        bogus.iSocketType = -1;
        bogus.iProtocol = -1;
        Fails(WSAEAFNOSUPPORT, WSASocket(0, 0, IPPROTO_UDP, bogus, 0, 0));
        var zero = info.Clone();
        zero.iAddressFamily = 0;
        zero.iSocketType = 0;
        zero.iProtocol = 0;
        Fails(WSAEAFNOSUPPORT, WSASocket(0, 0, IPPROTO_UDP, zero, 0, 0));
    }

    // Mirrors Wine test_WSASocket (SO_TYPE is read-only): setting it fails with WSAENOPROTOOPT.
    [Fact]
    public void setsockopt_SoType_WSAENOPROTOOPT()
    {
        var s = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0));
        try
        {
            Fails(WSAENOPROTOOPT, setsockopt(s, SOL_SOCKET, SO_TYPE, BitConverter.GetBytes(SOCK_STREAM), 4));
            Fails(WSAENOPROTOOPT, setsockopt(s, SOL_SOCKET, SO_TYPE, BitConverter.GetBytes(SOCK_DGRAM), 4));
        }
        finally { closesocket(s); }
    }
}
