namespace Winsock2.Providers.Core;

/// <summary>The WSAPROTOCOL_INFOW of a base-protocol catalog entry as the providers here describe theirs.</summary>
internal static class CatalogEntry
{
    /// <summary>
    /// A base protocol (chain length 1) of provider <paramref name="providerId"/>: Winsock 2 (iVersion 2), network
    /// byte order big-endian, no security scheme, socket addresses exactly the family's sockaddr size.
    /// </summary>
    public static WSAPROTOCOL_INFOW Base(Guid providerId, string name, int af, int type, int protocol, uint serviceFlags,
        uint providerFlags, uint messageSize) => new()
    {
        dwServiceFlags1 = serviceFlags,
        dwProviderFlags = providerFlags,
        ProviderId = providerId,
        ProtocolChain = new WSAPROTOCOLCHAIN(Ws2Spi.BASE_PROTOCOL),
        iVersion = 2,
        iAddressFamily = af,
        iMaxSockAddr = SockAddr.SizeOf(af),
        iMinSockAddr = SockAddr.SizeOf(af),
        iSocketType = type,
        iProtocol = protocol,
        iNetworkByteOrder = Ws2Spi.BIGENDIAN,
        iSecurityScheme = Ws2Spi.SECURITY_PROTOCOL_NONE,
        dwMessageSize = messageSize,
        szProtocol = name,
    };
}
