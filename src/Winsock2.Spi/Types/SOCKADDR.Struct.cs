using System.Runtime.InteropServices;

namespace Winsock2;

/// <summary>
/// ws2def.h's generic <c>SOCKADDR</c> (16 bytes): <see cref="sa_family"/> and 14 bytes of <see cref="sa_data"/>.
/// Pass it by <c>ref</c> wherever C passes <c>(SOCKADDR*)&amp;sa</c>; view it as another sockaddr with
/// <see cref="SockAddr.As{T}(ref SOCKADDR)"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct SOCKADDR : ISockAddr
{
    /// <summary>sizeof(SOCKADDR).</summary>
    public const int Size = 16;

    /// <summary>The address family (AF_INET, AF_INET6, ...).</summary>
    public ushort sa_family;
    /// <summary>The family's address bytes.</summary>
    public CHAR14 sa_data;

    /// <inheritdoc />
    readonly ushort ISockAddr.Family => sa_family;

    /// <summary>The sockaddr bytes (a copy).</summary>
    public static explicit operator byte[](SOCKADDR a) => SockAddr.ToBytes(a);

    /// <summary>The first bytes of a sockaddr as this structure (a copy; missing bytes are 0).</summary>
    public static explicit operator SOCKADDR(byte[] b) => SockAddr.FromBytes<SOCKADDR>(b);
}
