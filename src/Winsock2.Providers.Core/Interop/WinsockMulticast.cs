using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace Winsock2.Interop;

/// <summary>
/// The multicast structures a Winsock application passes to setsockopt, as ws2ipdef.h lays them out, read from the
/// option's bytes (the caller has checked the length against the sizes here). <see cref="LinuxMulticast"/> writes
/// what the kernel takes instead.
/// </summary>
internal static class WinsockMulticast
{
    /// <summary>struct ip_mreq { IN_ADDR imr_multiaddr; IN_ADDR imr_interface; }.</summary>
    public const int IpMreqSize = 8;
    /// <summary>Windows' struct ip_mreq_source { imr_multiaddr; imr_sourceaddr; imr_interface } (Linux swaps the last two).</summary>
    public const int IpMreqSourceSize = 12;
    /// <summary>struct ipv6_mreq { IN6_ADDR ipv6mr_multiaddr; ULONG ipv6mr_interface; }.</summary>
    public const int Ipv6MreqSize = 20;

    private const int GroupOffset = 8, StorageSize = 128;

    /// <summary>ip_mreq: the group and the interface field (an address, or 0.0.0.n for index n; network order bytes).</summary>
    public static (IPAddress Group, uint Interface) ReadIpMreq(ReadOnlySpan<byte> b) =>
        (new IPAddress(b[..4]), MemoryMarshal.Read<uint>(b[4..]));

    /// <summary>ip_mreq_source (Windows order): the group, the source and the interface field.</summary>
    public static (IPAddress Group, IPAddress Source, uint Interface) ReadIpMreqSource(ReadOnlySpan<byte> b) =>
        (new IPAddress(b[..4]), new IPAddress(b.Slice(4, 4)), MemoryMarshal.Read<uint>(b[8..]));

    /// <summary>ipv6_mreq: the group and the interface index.</summary>
    public static (IPAddress Group, int Interface) ReadIpv6Mreq(ReadOnlySpan<byte> b) =>
        (new IPAddress(b[..16]), BinaryPrimitives.ReadInt32LittleEndian(b[16..]));

    /// <summary>
    /// The size of struct group_req (<paramref name="withSource"/> false: ULONG gr_interface, padding to 8,
    /// SOCKADDR_STORAGE gr_group) or group_source_req (a second SOCKADDR_STORAGE, gsr_source).
    /// </summary>
    public static int GroupReqSize(bool withSource) => GroupOffset + StorageSize * (withSource ? 2 : 1);

    /// <summary>group_req / group_source_req: the interface index.</summary>
    public static int ReadGroupReqInterface(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadInt32LittleEndian(b);

    /// <summary>
    /// group_req / group_source_req: the group (<paramref name="slot"/> 0) or the source (1) address; 0, or
    /// <see cref="SockAddr.TryParse"/>'s error.
    /// </summary>
    public static int ReadGroupReqAddress(ReadOnlySpan<byte> b, int slot, out IPEndPoint? address) =>
        SockAddr.TryParse(b.Slice(GroupOffset + StorageSize * slot, StorageSize).ToArray(), StorageSize, out address);
}
