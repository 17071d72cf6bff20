using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The rooted multipoint provider's catalog entries (AF_INET and AF_INET6, SOCK_SEQPACKET over TCP): rooted
/// control and data planes, messages with boundaries and MSG_PARTIAL, reliable ordered delivery, graceful close,
/// connect data and QoS. PFL_MATCHES_PROTOCOL_ZERO, so WSASocket(AF_INET, SOCK_SEQPACKET, 0, …) picks it. A second pair
/// of entries (protocol IPPROTO_RM_TCP_NONROOTED_DATA) has a nonrooted data plane: the root relays each member's data
/// to every other member, as in T.120.
/// </summary>
internal static class RootedCatalog
{
    public static readonly Guid ProviderId = new("b0d3a6f4-5c1e-4a8b-9f27-6e4d1c2a9b70");

    public const uint Flags = Ws2Spi.XP1_SUPPORT_MULTIPOINT | Ws2Spi.XP1_MULTIPOINT_CONTROL_PLANE | Ws2Spi.XP1_MULTIPOINT_DATA_PLANE
                              | Ws2Spi.XP1_MESSAGE_ORIENTED | Ws2Spi.XP1_GUARANTEED_DELIVERY | Ws2Spi.XP1_GUARANTEED_ORDER
                              | Ws2Spi.XP1_GRACEFUL_CLOSE | Ws2Spi.XP1_CONNECT_DATA | Ws2Spi.XP1_QOS_SUPPORTED
                              | Ws2Spi.XP1_PARTIAL_MESSAGE;

    /// <summary>T.120 style: the same, with a nonrooted data plane (data relayed by the root to every other member).</summary>
    public const uint NonrootedDataFlags = Flags & ~Ws2Spi.XP1_MULTIPOINT_DATA_PLANE;

    public static WSAPROTOCOL_INFOW[] Entries() =>
    [
        Entry("Winsock2.NET Rooted Multipoint [RM/TCP]", Ws2Spi.AF_INET, Flags, Ws2Spi.IPPROTO_RM_TCP, Ws2Spi.PFL_MATCHES_PROTOCOL_ZERO),
        Entry("Winsock2.NET Rooted Multipoint [RM/TCPv6]", Ws2Spi.AF_INET6, Flags, Ws2Spi.IPPROTO_RM_TCP, Ws2Spi.PFL_MATCHES_PROTOCOL_ZERO),
        Entry("Winsock2.NET Rooted Control, Nonrooted Data [RM/TCP T.120]", Ws2Spi.AF_INET, NonrootedDataFlags, Ws2Spi.IPPROTO_RM_TCP_NONROOTED_DATA, 0),
        Entry("Winsock2.NET Rooted Control, Nonrooted Data [RM/TCPv6 T.120]", Ws2Spi.AF_INET6, NonrootedDataFlags, Ws2Spi.IPPROTO_RM_TCP_NONROOTED_DATA, 0),
    ];

    private static WSAPROTOCOL_INFOW Entry(string name, int af, uint flags, int protocol, uint providerFlags) =>
        CatalogEntry.Base(ProviderId, name, af, Ws2Spi.SOCK_SEQPACKET, protocol, flags, providerFlags | Ws2Spi.PFL_MULTIPLE_PROTO_ENTRIES,
            RootedLimits.MaxMessage);
}
