using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>
/// WSAPROTOCOL_INFO (unsuffixed), as winsock2.h maps it to WSAPROTOCOL_INFOW: the Winsock2 package's props make it a
/// global alias of the same type, so it works wherever WSAPROTOCOL_INFOW does.
/// </summary>
public sealed class ProtocolInfoAliasTests : WinsockTest
{
    [Fact]
    public void WSAPROTOCOL_INFO_IsWSAPROTOCOL_INFOW()
    {
        Assert.Equal(typeof(WSAPROTOCOL_INFOW), typeof(WSAPROTOCOL_INFO));
        Assert.Equal(SO_PROTOCOL_INFOW, SO_PROTOCOL_INFO);
    }

    [Fact]
    public void WSAEnumProtocols_IntoWSAPROTOCOL_INFOArray_ThenWSASocketFromIt()
    {
        uint len = 0;
        Fails(WSAENOBUFS, WSAEnumProtocols(null, null, ref len));
        WSAPROTOCOL_INFO[] info = new WSAPROTOCOL_INFO[len / WSAPROTOCOL_INFOW.Size];
        int count = WSAEnumProtocols([IPPROTO_TCP], info, ref len);
        Assert.True(count > 0, $"WSAEnumProtocols failed with {WSAGetLastError()}");
        WSAPROTOCOL_INFO tcp = info.Take(count).First(p => p.iAddressFamily == AF_INET);
        SOCKET s = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, tcp, 0, WSA_FLAG_OVERLAPPED));
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, out WSAPROTOCOL_INFO? mine));
        Assert.Equal(tcp.dwCatalogEntryId, mine!.dwCatalogEntryId);
        closesocket(s);
    }
}
