using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Winsock2.Interop;

namespace Winsock2.Providers.Inet;

/// <summary>Kernel multicast memberships and options: the Linux option numbers and structures (ip_mreqn, ip_mreq_source, ipv6_mreq, group_req).</summary>
internal sealed partial class InetSocket
{
    // Linux option numbers (uapi/linux/in.h, in6.h); the levels (0, 41) are the same as Winsock's.
    private const int L_IP_MULTICAST_IF = 32, L_IP_MULTICAST_TTL = 33, L_IP_ADD_MEMBERSHIP = 35, L_IP_DROP_MEMBERSHIP = 36,
        L_IP_ADD_SOURCE_MEMBERSHIP = 39, L_IP_DROP_SOURCE_MEMBERSHIP = 40, L_IP_MULTICAST_ALL = 49;
    private const int L_IPV6_MULTICAST_IF = 17, L_IPV6_MULTICAST_HOPS = 18, L_IPV6_ADD_MEMBERSHIP = 20, L_IPV6_DROP_MEMBERSHIP = 21,
        L_IPV6_MULTICAST_ALL = 29;
    private const int L_MCAST_JOIN_GROUP = 42, L_MCAST_LEAVE_GROUP = 45, L_MCAST_JOIN_SOURCE_GROUP = 46, L_MCAST_LEAVE_SOURCE_GROUP = 47;
    private const int ENODEV = 19, EADDRINUSE = 98;

    /// <summary>Adds or drops a kernel membership (any-source when <paramref name="source"/> is null). Returns a Winsock code.</summary>
    private int KernelMembership(bool join, IPAddress group, IPAddress? source, (uint Address, int Index) itf)
    {
        int err = KernelMembershipCall(join, group, source, itf);
        // Linux says EINVAL when dropping a source-specific membership that is not there; Windows says not available.
        return !join && err == Ws2Spi.WSAEINVAL ? Ws2Spi.WSAEADDRNOTAVAIL : err;
    }

    private int KernelMembershipCall(bool join, IPAddress group, IPAddress? source, (uint Address, int Index) itf)
    {
        bool v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        if (!v6 && itf.Index == 0)
        {
            Span<byte> b = stackalloc byte[12];
            group.TryWriteBytes(b, out _);
            if (source is null)
            {
                // struct ip_mreqn { imr_multiaddr; imr_address; imr_ifindex }
                MemoryMarshal.Write(b[4..], in itf.Address);
                MemoryMarshal.Write(b[8..], 0);
                return Set(0, join ? L_IP_ADD_MEMBERSHIP : L_IP_DROP_MEMBERSHIP, b);
            }
            // Linux's struct ip_mreq_source { imr_multiaddr; imr_interface; imr_sourceaddr } (Windows swaps the last two).
            MemoryMarshal.Write(b[4..], in itf.Address);
            source.TryWriteBytes(b[8..], out _);
            return Set(0, join ? L_IP_ADD_SOURCE_MEMBERSHIP : L_IP_DROP_SOURCE_MEMBERSHIP, b);
        }
        if (v6 && source is null)
        {
            // struct ipv6_mreq { in6_addr; int ifindex }
            Span<byte> b = stackalloc byte[20];
            group.TryWriteBytes(b, out _);
            MemoryMarshal.Write(b[16..], in itf.Index);
            return Set(41, join ? L_IPV6_ADD_MEMBERSHIP : L_IPV6_DROP_MEMBERSHIP, b);
        }
        // Protocol-independent: struct group_req / group_source_req with sockaddr_storage members.
        int off = IntPtr.Size, ss = 128;
        var req = new byte[off + ss * (source is null ? 1 : 2)];
        MemoryMarshal.Write(req, in itf.Index);
        LinuxSockAddr.ToLinux(new IPEndPoint(group, 0)).CopyTo(req, off);
        if (source is not null) LinuxSockAddr.ToLinux(new IPEndPoint(source, 0)).CopyTo(req, off + ss);
        int level = v6 ? 41 : 0;
        int opt = source is null ? (join ? L_MCAST_JOIN_GROUP : L_MCAST_LEAVE_GROUP) : (join ? L_MCAST_JOIN_SOURCE_GROUP : L_MCAST_LEAVE_SOURCE_GROUP);
        return Set(level, opt, req);
    }

    private unsafe int Set(int level, int optname, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            if (Libc.setsockopt(_fd, level, optname, p, (uint)value.Length) == 0) return 0;
        }
        int e = Libc.Errno;
        return e switch
        {
            ENODEV => Ws2Spi.WSAEADDRNOTAVAIL, // no such interface
            _ => Errno.ToWinsock(e, datagram: true),
        };
    }

    private int SetInt(int level, int optname, int value)
    {
        Span<byte> b = stackalloc byte[4];
        MemoryMarshal.Write(b, in value);
        return Set(level, optname, b);
    }

    private unsafe int GetInt(int level, int optname, out int value)
    {
        int v = 0;
        uint len = 4;
        int rc = Libc.getsockopt(_fd, level, optname, &v, &len);
        value = v;
        return rc == 0 ? 0 : Errno.ToWinsock(Libc.Errno, datagram: true);
    }
}
