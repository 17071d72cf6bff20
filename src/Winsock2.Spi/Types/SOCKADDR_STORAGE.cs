using System.Runtime.InteropServices;

namespace Winsock2;

/// <summary>
/// ws2def.h's <c>SOCKADDR_STORAGE</c> (128 bytes, 8-byte aligned): room for any sockaddr, with <see cref="ss_family"/>
/// first. Receive into it by <c>ref</c> (accept, recvfrom, getsockname...), then view it as the family's structure
/// with <see cref="SockAddr.As{T}(ref SOCKADDR_STORAGE)"/>, as C casts <c>(SOCKADDR_IN*)&amp;ss</c>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct SOCKADDR_STORAGE : ISockAddr
{
    /// <summary>sizeof(SOCKADDR_STORAGE).</summary>
    public const int Size = 128;

    /// <summary>The address family.</summary>
    [FieldOffset(0)] public ushort ss_family;
#pragma warning disable CS0169 // never read: it gives the structure the header's 8-byte alignment
    [FieldOffset(8)] private long __ss_align;
#pragma warning restore CS0169

    /// <inheritdoc />
    readonly ushort ISockAddr.Family => ss_family;

    /// <summary>The sockaddr bytes (a copy).</summary>
    public static explicit operator byte[](SOCKADDR_STORAGE a) => SockAddr.ToBytes(a);

    /// <summary>The first bytes of a sockaddr as this structure (a copy; missing bytes are 0).</summary>
    public static explicit operator SOCKADDR_STORAGE(byte[] b) => SockAddr.FromBytes<SOCKADDR_STORAGE>(b);
}
