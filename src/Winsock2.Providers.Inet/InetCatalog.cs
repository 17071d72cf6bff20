using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>The base provider's catalog entries: TCP and UDP over IPv4 and IPv6, flags telling what the transport really does.</summary>
internal static class InetCatalog
{
    public static readonly Guid ProviderId = new("7c1e4a52-3b8e-4f0e-9a61-2d5b9c0e8f11");

    /// <summary>TCP: reliable ordered byte stream, graceful close, urgent data. No connect data, no QoS.</summary>
    public const uint TcpFlags = Ws2Spi.XP1_GUARANTEED_DELIVERY | Ws2Spi.XP1_GUARANTEED_ORDER | Ws2Spi.XP1_GRACEFUL_CLOSE
                                 | Ws2Spi.XP1_EXPEDITED_DATA;

    /// <summary>UDP: datagrams with boundaries, broadcast, and a nonrooted multipoint session (IP multicast).</summary>
    public const uint UdpFlags = Ws2Spi.XP1_CONNECTIONLESS | Ws2Spi.XP1_MESSAGE_ORIENTED | Ws2Spi.XP1_SUPPORT_BROADCAST
                                 | Ws2Spi.XP1_SUPPORT_MULTIPOINT;

    /// <summary>Largest UDP payload: 65535 less the IPv4 header (20) and UDP header (8).</summary>
    public const uint UdpMaxV4 = 65507;
    /// <summary>Largest UDP payload over IPv6: 65535 less the UDP header (the payload-length field excludes the IPv6 header).</summary>
    public const uint UdpMaxV6 = 65527;

    public static WSAPROTOCOL_INFOW[] Entries() =>
    [
        Entry("Winsock2.NET Tcpip [TCP/IP]", Ws2Spi.AF_INET, Ws2Spi.SOCK_STREAM, Ws2Spi.IPPROTO_TCP, TcpFlags, 0),
        Entry("Winsock2.NET Tcpip [UDP/IP]", Ws2Spi.AF_INET, Ws2Spi.SOCK_DGRAM, Ws2Spi.IPPROTO_UDP, UdpFlags, UdpMaxV4),
        Entry("Winsock2.NET Tcpip [TCP/IPv6]", Ws2Spi.AF_INET6, Ws2Spi.SOCK_STREAM, Ws2Spi.IPPROTO_TCP, TcpFlags, 0),
        Entry("Winsock2.NET Tcpip [UDP/IPv6]", Ws2Spi.AF_INET6, Ws2Spi.SOCK_DGRAM, Ws2Spi.IPPROTO_UDP, UdpFlags, UdpMaxV6),
    ];

    private static WSAPROTOCOL_INFOW Entry(string name, int af, int type, int protocol, uint flags, uint messageSize) =>
        CatalogEntry.Base(ProviderId, name, af, type, protocol, flags, Ws2Spi.PFL_MATCHES_PROTOCOL_ZERO, messageSize);
}
