using System.Runtime.InteropServices;

namespace Winsock2;

/// <summary>
/// An IPv4 address as inaddr.h keeps it: <see cref="s_addr"/> holds the four bytes in network order, read as a
/// little-endian integer on the machine (so 127.0.0.1 is 0x0100007F, as a C program on x86 sees it).
/// <see cref="S_un"/> is the header's union (S_un.S_addr, S_un.S_un_b.s_b1..s_b4, S_un.S_un_w.s_w1/s_w2) over the
/// same four bytes; <c>s_addr</c> is C's macro for <c>S_un.S_addr</c>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct IN_ADDR : IEquatable<IN_ADDR>
{
    /// <summary>The address in network byte order.</summary>
    [FieldOffset(0)] public uint s_addr;

    /// <summary>The header's union over the same four bytes.</summary>
    [FieldOffset(0)] public IN_ADDR_S_un S_un;

    /// <summary>An address from its network-order value.</summary>
    public IN_ADDR(uint networkOrder) => s_addr = networkOrder;

    /// <summary>The four bytes, first octet first.</summary>
    public readonly byte[] GetBytes() => BitConverter.GetBytes(s_addr);

    /// <inheritdoc />
    public readonly bool Equals(IN_ADDR other) => s_addr == other.s_addr;

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is IN_ADDR other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() => (int)s_addr;

    /// <summary>Equal addresses.</summary>
    public static bool operator ==(IN_ADDR a, IN_ADDR b) => a.s_addr == b.s_addr;

    /// <summary>Different addresses.</summary>
    public static bool operator !=(IN_ADDR a, IN_ADDR b) => a.s_addr != b.s_addr;
}

/// <summary>inaddr.h's <c>S_un</c> union: the address as bytes, as two words, or as one network-order ULONG.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct IN_ADDR_S_un
{
    /// <summary>The four bytes (s_b1 is the first octet).</summary>
    [FieldOffset(0)] public IN_ADDR_S_un_b S_un_b;
    /// <summary>The two 16-bit halves as stored.</summary>
    [FieldOffset(0)] public IN_ADDR_S_un_w S_un_w;
    /// <summary>The address in network byte order (what <see cref="IN_ADDR.s_addr"/> names).</summary>
    [FieldOffset(0)] public uint S_addr;
}

/// <summary>The bytes of an IPv4 address, first octet first (inaddr.h's S_un_b).</summary>
public struct IN_ADDR_S_un_b
{
#pragma warning disable CS1591 // The header's names: the first to the fourth octet.
    public byte s_b1, s_b2, s_b3, s_b4;
#pragma warning restore CS1591
}

/// <summary>The two 16-bit halves of an IPv4 address as stored (inaddr.h's S_un_w).</summary>
public struct IN_ADDR_S_un_w
{
#pragma warning disable CS1591 // The header's names: the first and second stored word.
    public ushort s_w1, s_w2;
#pragma warning restore CS1591
}
