namespace Winsock2;

/// <summary>
/// An IPv4 address as inaddr.h keeps it: <see cref="s_addr"/> holds the four bytes in network order, read as a
/// little-endian integer on the machine (so 127.0.0.1 is 0x0100007F, as a C program on x86 sees it).
/// </summary>
public struct IN_ADDR : IEquatable<IN_ADDR>
{
    /// <summary>The address in network byte order.</summary>
    public uint s_addr;

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
