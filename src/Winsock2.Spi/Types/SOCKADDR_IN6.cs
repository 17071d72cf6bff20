using System.Runtime.InteropServices;

namespace Winsock2;

/// <summary>
/// ws2ipdef.h's <c>SOCKADDR_IN6</c> (28 bytes): <see cref="sin6_family"/> (AF_INET6), <see cref="sin6_port"/> in
/// network order, <see cref="sin6_flowinfo"/>, <see cref="sin6_addr"/> (<c>sin6_addr.s6_addr[15] = 1</c>, or
/// <c>u.Byte</c>) and <see cref="sin6_scope_id"/>. Passes by <c>ref</c> wherever C passes <c>(SOCKADDR*)&amp;sin6</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct SOCKADDR_IN6 : ISockAddr
{
    /// <summary>sizeof(SOCKADDR_IN6).</summary>
    public const int Size = 28;

    /// <summary>AF_INET6.</summary>
    public ushort sin6_family;
    /// <summary>The port in network byte order.</summary>
    public ushort sin6_port;
    /// <summary>The flow information.</summary>
    public uint sin6_flowinfo;
    /// <summary>The IPv6 address.</summary>
    public IN6_ADDR sin6_addr;
    /// <summary>The scope (interface index for a link-local address).</summary>
    public uint sin6_scope_id;

    /// <inheritdoc />
    readonly ushort ISockAddr.Family => sin6_family;

    /// <summary>The sockaddr bytes (a copy).</summary>
    public static explicit operator byte[](SOCKADDR_IN6 a) => SockAddr.ToBytes(a);

    /// <summary>The first bytes of a sockaddr as this structure (a copy; missing bytes are 0).</summary>
    public static explicit operator SOCKADDR_IN6(byte[] b) => SockAddr.FromBytes<SOCKADDR_IN6>(b);
}
