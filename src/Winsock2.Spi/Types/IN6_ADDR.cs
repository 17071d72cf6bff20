using System.Runtime.InteropServices;

namespace Winsock2;

/// <summary>
/// An IPv6 address as in6addr.h keeps it: 16 bytes in network order, through the header's union <see cref="u"/>
/// (u.Byte[16], u.Word[8]) and the macros' names <see cref="s6_addr"/> (= s6_bytes = u.Byte) and
/// <see cref="s6_words"/> (= u.Word), all over the same bytes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct IN6_ADDR : IEquatable<IN6_ADDR>
{
    /// <summary>The header's union.</summary>
    [FieldOffset(0)] public IN6_ADDR_u u;
    /// <summary>The 16 bytes, first first (C's s6_addr macro for u.Byte).</summary>
    [FieldOffset(0)] public UCHAR16 s6_addr;
    /// <summary>The 16 bytes (C's s6_bytes macro for u.Byte).</summary>
    [FieldOffset(0)] public UCHAR16 s6_bytes;
    /// <summary>The eight 16-bit words as stored (C's s6_words macro for u.Word; each in network order).</summary>
    [FieldOffset(0)] public USHORT8 s6_words;

    /// <summary>An address from its 16 bytes (network order).</summary>
    public IN6_ADDR(ReadOnlySpan<byte> bytes) => bytes[..16].CopyTo(s6_addr);

    /// <summary>The 16 bytes.</summary>
    public readonly byte[] GetBytes() => ((ReadOnlySpan<byte>)s6_addr).ToArray();

    /// <inheritdoc />
    public readonly bool Equals(IN6_ADDR other) => ((ReadOnlySpan<byte>)s6_addr).SequenceEqual(other.s6_addr);

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is IN6_ADDR other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(s6_addr);
        return h.ToHashCode();
    }

    /// <summary>Equal addresses.</summary>
    public static bool operator ==(IN6_ADDR a, IN6_ADDR b) => a.Equals(b);

    /// <summary>Different addresses.</summary>
    public static bool operator !=(IN6_ADDR a, IN6_ADDR b) => !a.Equals(b);
}

/// <summary>in6addr.h's union <c>u</c>: the address as 16 bytes or as 8 words.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct IN6_ADDR_u
{
    /// <summary>The 16 bytes, first first.</summary>
    [FieldOffset(0)] public UCHAR16 Byte;
    /// <summary>The eight 16-bit words as stored.</summary>
    [FieldOffset(0)] public USHORT8 Word;
}
