using System.Runtime.InteropServices;

namespace Winsock2;

/// <summary>
/// ws2def.h's <c>SOCKADDR_IN</c> (16 bytes): <see cref="sin_family"/> (AF_INET), <see cref="sin_port"/> in network
/// order (<c>htons</c>), <see cref="sin_addr"/> (<c>sin_addr.s_addr = htonl(INADDR_ANY)</c>) and eight bytes of
/// <see cref="sin_zero"/>. The bytes are the Windows sockaddr layout, so the structure passes by <c>ref</c> wherever C
/// passes <c>(SOCKADDR*)&amp;sin</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct SOCKADDR_IN : ISockAddr
{
    /// <summary>sizeof(SOCKADDR_IN).</summary>
    public const int Size = 16;

    /// <summary>AF_INET.</summary>
    public ushort sin_family;
    /// <summary>The port in network byte order.</summary>
    public ushort sin_port;
    /// <summary>The IPv4 address.</summary>
    public IN_ADDR sin_addr;
    /// <summary>Zero.</summary>
    public CHAR8 sin_zero;

    /// <inheritdoc />
    readonly ushort ISockAddr.Family => sin_family;

    /// <summary>The sockaddr bytes (a copy).</summary>
    public static explicit operator byte[](SOCKADDR_IN a) => SockAddr.ToBytes(a);

    /// <summary>The first bytes of a sockaddr as this structure (a copy; missing bytes are 0).</summary>
    public static explicit operator SOCKADDR_IN(byte[] b) => SockAddr.FromBytes<SOCKADDR_IN>(b);
}
