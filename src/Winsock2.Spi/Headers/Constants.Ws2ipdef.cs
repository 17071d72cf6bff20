namespace Winsock2;

/// <summary>ws2ipdef.h's well-known IPv6 addresses, and the unsuffixed names winsock2.h maps to the wide forms.</summary>
public static partial class Ws2Spi
{
    /// <summary>The unspecified IPv6 address, ::.</summary>
    public static readonly IN6_ADDR in6addr_any;

    /// <summary>The IPv6 loopback address, ::1.</summary>
    public static readonly IN6_ADDR in6addr_loopback = new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);

    /// <summary>SO_PROTOCOL_INFO: the wide form, SO_PROTOCOL_INFOW (the structure is <see cref="WSAPROTOCOL_INFOW"/>).</summary>
    public const int SO_PROTOCOL_INFO = SO_PROTOCOL_INFOW;
}
