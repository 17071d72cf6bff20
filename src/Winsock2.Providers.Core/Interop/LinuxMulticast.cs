using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Winsock2.Interop;

/// <summary>
/// Linux's multicast socket options: their numbers (uapi/linux/in.h, in6.h; the levels are Winsock's, 0 and 41) and
/// the structures the kernel takes (ip_mreqn, ip_mreq_source, ipv6_mreq, group_req, group_source_req).
/// </summary>
internal static class LinuxMulticast
{
    public const int SOL_IP = 0, SOL_IPV6 = 41;
    public const int IP_MULTICAST_IF = 32, IP_MULTICAST_TTL = 33, IP_ADD_MEMBERSHIP = 35, IP_DROP_MEMBERSHIP = 36,
        IP_ADD_SOURCE_MEMBERSHIP = 39, IP_DROP_SOURCE_MEMBERSHIP = 40, IP_MULTICAST_ALL = 49;
    public const int IPV6_MULTICAST_IF = 17, IPV6_MULTICAST_HOPS = 18, IPV6_ADD_MEMBERSHIP = 20, IPV6_DROP_MEMBERSHIP = 21,
        IPV6_MULTICAST_ALL = 29;
    public const int MCAST_JOIN_GROUP = 42, MCAST_LEAVE_GROUP = 45, MCAST_JOIN_SOURCE_GROUP = 46, MCAST_LEAVE_SOURCE_GROUP = 47;
    /// <summary>errno for an interface that does not exist.</summary>
    public const int ENODEV = 19;

    /// <summary>
    /// struct ip_mreqn { imr_multiaddr; imr_address; imr_ifindex } for IP_MULTICAST_IF: no group, the interface by
    /// address (network order) or by index.
    /// </summary>
    public static byte[] InterfaceRequest(uint address, int index)
    {
        var b = new byte[12];
        MemoryMarshal.Write(b.AsSpan(4), in address);
        MemoryMarshal.Write(b.AsSpan(8), in index);
        return b;
    }

    /// <summary>
    /// The setsockopt that adds (<paramref name="join"/>) or drops a membership of <paramref name="group"/>, any-source
    /// when <paramref name="source"/> is null, on the interface given by address (IPv4, network order) or index (0 with
    /// address 0: the kernel chooses): its level, option and structure. IPv4 by address uses ip_mreqn / ip_mreq_source,
    /// IPv6 any-source ipv6_mreq, everything else the protocol-independent group_req / group_source_req.
    /// </summary>
    public static (int Level, int Option, byte[] Value) Membership(bool join, IPAddress group, IPAddress? source,
        uint interfaceAddress, int interfaceIndex)
    {
        bool v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        if (!v6 && interfaceIndex == 0)
        {
            var b = new byte[12];
            group.TryWriteBytes(b, out _);
            MemoryMarshal.Write(b.AsSpan(4), in interfaceAddress);
            if (source is null)
            {
                // struct ip_mreqn { imr_multiaddr; imr_address; imr_ifindex = 0 }
                return (SOL_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, b);
            }
            // Linux's struct ip_mreq_source { imr_multiaddr; imr_interface; imr_sourceaddr } (Windows swaps the last two).
            source.TryWriteBytes(b.AsSpan(8), out _);
            return (SOL_IP, join ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP, b);
        }
        if (v6 && source is null)
        {
            // struct ipv6_mreq { in6_addr; int ifindex }
            var b = new byte[20];
            group.TryWriteBytes(b, out _);
            MemoryMarshal.Write(b.AsSpan(16), in interfaceIndex);
            return (SOL_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, b);
        }
        // Protocol-independent: struct group_req / group_source_req { uint32 ifindex; (padding); sockaddr_storage ... }.
        int off = IntPtr.Size, ss = 128;
        var req = new byte[off + ss * (source is null ? 1 : 2)];
        MemoryMarshal.Write(req, in interfaceIndex);
        LinuxSockAddr.ToLinux(new IPEndPoint(group, 0)).CopyTo(req, off);
        if (source is not null) LinuxSockAddr.ToLinux(new IPEndPoint(source, 0)).CopyTo(req, off + ss);
        int opt = source is null ? (join ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP) : (join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP);
        return (v6 ? SOL_IPV6 : SOL_IP, opt, req);
    }
}
