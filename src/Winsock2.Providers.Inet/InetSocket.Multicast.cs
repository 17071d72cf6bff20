using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Nonrooted multipoint on UDP: IP multicast joins through WSPJoinLeaf, the multicast socket options and ioctls
/// with their Winsock numbers, and the Windows semantics Linux lacks (per-socket group delivery, receive-side
/// loopback). docs/multicast.md describes the mapping.
/// </summary>
internal sealed partial class InetSocket
{
    // Linux option numbers (uapi/linux/in.h, in6.h); the levels (0, 41) are the same as Winsock's.
    private const int L_IP_MULTICAST_IF = 32, L_IP_MULTICAST_TTL = 33, L_IP_ADD_MEMBERSHIP = 35, L_IP_DROP_MEMBERSHIP = 36,
        L_IP_ADD_SOURCE_MEMBERSHIP = 39, L_IP_DROP_SOURCE_MEMBERSHIP = 40, L_IP_MULTICAST_ALL = 49;
    private const int L_IPV6_MULTICAST_IF = 17, L_IPV6_MULTICAST_HOPS = 18, L_IPV6_ADD_MEMBERSHIP = 20, L_IPV6_DROP_MEMBERSHIP = 21,
        L_IPV6_MULTICAST_ALL = 29;
    private const int L_MCAST_JOIN_GROUP = 42, L_MCAST_LEAVE_GROUP = 45, L_MCAST_JOIN_SOURCE_GROUP = 46, L_MCAST_LEAVE_SOURCE_GROUP = 47;
    private const int ENODEV = 19, EADDRINUSE = 98;

    /// <summary>How many of its own multicast sends a socket with loopback off remembers (see <see cref="MulticastState.OwnSends"/>).</summary>
    private const int OwnSendLedger = 64;
    /// <summary>How many leading bytes of each own send the ledger keeps for recognising it.</summary>
    private const int OwnSendPrefix = 64;

    /// <summary>One WSAJoinLeaf: the group, the source of a source-specific join, and the directions the flags allow.</summary>
    private sealed record LeafJoin(IPAddress Group, IPAddress? Source, bool Receive, bool Send);

    /// <summary>A UDP socket's multicast state beyond what the kernel keeps. Guarded by <see cref="Gate"/>.</summary>
    private sealed class MulticastState
    {
        /// <summary>SIO_MULTIPOINT_LOOPBACK / IP_MULTICAST_LOOP: receive own sends (Windows applies it on the receive side).</summary>
        public bool Loopback = true;
        /// <summary>IP_MULTICAST_IF as the application gave it (an IPv4 address, or 0.0.0.n = interface index n).</summary>
        public uint InterfaceV4; // network order as read from the 4 bytes
        /// <summary>IPV6_MULTICAST_IF: the interface index (0 = the kernel chooses).</summary>
        public int InterfaceV6;
        /// <summary>SIO_JOINLEAF_SOURCE: the source the next WSAJoinLeaf joins with.</summary>
        public IPAddress? NextSource;
        public readonly List<LeafJoin> Joins = new();
        /// <summary>Where a send goes: the last group joined with sending allowed (null: receiver-only).</summary>
        public IPEndPoint? SendGroup;
        /// <summary>
        /// Loopback off: the length and first bytes of the socket's recent multicast sends. A datagram that comes
        /// back from the socket's own port and matches one is the socket's own and is dropped. The kernel cannot
        /// tell one socket's loopback copy from another's when both share an address and port (SO_REUSEADDR), so
        /// the source address alone would also drop other local members' datagrams.
        /// </summary>
        public readonly LinkedList<(int Length, byte[] Prefix)> OwnSends = new();

        public bool Restricted => Joins.Count > 0;
        public bool SendOnly => Joins.Count > 0 && !Joins.Exists(j => j.Receive);
    }

    private MulticastState? _mc;

    private MulticastState Mc => _mc ??= new MulticastState();

    /// <summary>
    /// Every UDP socket gets Windows' delivery rule: a socket receives multicast only for the groups it joined
    /// itself (Linux's default, IP_MULTICAST_ALL on, delivers every group any socket of the host joined).
    /// </summary>
    private void InitMulticast()
    {
        if (!IsDatagram) return;
        if (Family == Ws2Spi.AF_INET6) SetInt(41, L_IPV6_MULTICAST_ALL, 0);
        else SetInt(0, L_IP_MULTICAST_ALL, 0);
        // Failure (a kernel older than 4.20 for IPv6) leaves Linux's behaviour; nothing else depends on it.
    }

    // ---- WSPJoinLeaf ----

    /// <summary>
    /// WSPJoinLeaf on a UDP c_leaf/d_leaf socket: joins the IP multicast group <paramref name="name"/> names (any-source,
    /// or source-specific after SIO_JOINLEAF_SOURCE), restricts the socket to the group as connect would, records
    /// FD_CONNECT. The socket itself is the result (nonrooted: no new descriptor).
    /// </summary>
    public int JoinLeaf(byte[] name, int namelen, WSABUF? callerData, WSABUF? calleeData, QOS? sqos, uint flags)
    {
        if ((Flags & (Ws2Spi.WSA_FLAG_MULTIPOINT_C_LEAF | Ws2Spi.WSA_FLAG_MULTIPOINT_D_LEAF)) == 0 || IsStream) return Ws2Spi.WSAEINVAL;
        if ((callerData is not null && callerData.len > 0) || (calleeData is not null && calleeData.len > 0))
            return Ws2Spi.WSAEPROTONOSUPPORT; // no XP1_CONNECT_DATA
        if (sqos is not null) return Ws2Spi.WSAEOPNOTSUPP; // no XP1_QOS_SUPPORTED
        if (flags == 0) flags = Ws2Spi.JL_BOTH;
        if (flags is not (Ws2Spi.JL_SENDER_ONLY or Ws2Spi.JL_RECEIVER_ONLY or Ws2Spi.JL_BOTH)) return Ws2Spi.WSAEINVAL;
        int rc = SockAddr.TryParse(name, namelen, out var ep);
        if (rc != 0) return rc;
        if (SockAddr.Family(name) != Family) return Ws2Spi.WSAEAFNOSUPPORT;
        if (!IsMulticast(ep!.Address) || ep.Port == 0) return Ws2Spi.WSAEADDRNOTAVAIL;
        bool send = flags != Ws2Spi.JL_RECEIVER_ONLY, receive = flags != Ws2Spi.JL_SENDER_ONLY;
        var group = new IPAddress(ep.Address.GetAddressBytes()); // without a scope id
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (_conn == ConnState.Connected) return Ws2Spi.WSAEISCONN;
            var mc = Mc;
            var source = receive ? mc.NextSource : null;
            if (mc.Joins.Exists(j => j.Group.Equals(group) && Equals(j.Source, source))) return Ws2Spi.WSAEISCONN;
            if (!_bound)
            {
                // Bound implicitly to the group's port on the wildcard address; SO_REUSEADDR lets several
                // members on one host share the port.
                try
                {
                    _os.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    _os.Bind(new IPEndPoint(Family == Ws2Spi.AF_INET6 ? IPAddress.IPv6Any : IPAddress.Any, ep.Port));
                }
                catch (SocketException e) { return (int)e.SocketErrorCode; }
                _bound = true;
            }
            if (receive)
            {
                // JL_SENDER_ONLY sends no membership report: only receivers join in the kernel.
                int err = KernelMembership(join: true, group, source, DefaultInterface(mc));
                // A membership the application made itself through IP_ADD_(SOURCE_)MEMBERSHIP or MCAST_JOIN_* is adopted.
                if (err != 0 && err != Ws2Spi.WSAEADDRINUSE) return err;
            }
            mc.Joins.Add(new LeafJoin(group, source, receive, send));
            if (send) mc.SendGroup = ep; // as given: a link-local IPv6 group keeps its scope id
            mc.NextSource = null;
            // The membership is in place: the join is complete (the report went out with the setsockopt).
            Events.Signal(Ws2Spi.FD_CONNECT, 0);
            if (WritableNow()) Events.Signal(Ws2Spi.FD_WRITE, 0);
            return 0;
        }
    }

    private static bool IsMulticast(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetworkV6 ? a.IsIPv6Multicast : (a.GetAddressBytes()[0] & 0xF0) == 0xE0;

    /// <summary>The interface a WSAJoinLeaf joins on: the one IP_MULTICAST_IF / IPV6_MULTICAST_IF named (else the kernel chooses).</summary>
    private (uint Address, int Index) DefaultInterface(MulticastState mc) =>
        Family == Ws2Spi.AF_INET6 ? (0, mc.InterfaceV6) : SplitV4Interface(mc.InterfaceV4);

    /// <summary>Windows' IPv4 interface field: an address, or 0.0.0.n for interface index n (network order bytes).</summary>
    private static (uint Address, int Index) SplitV4Interface(uint networkOrder)
    {
        uint host = BinaryPrimitives.ReverseEndianness(networkOrder);
        if (BitConverter.IsLittleEndian && host != 0 && (host >> 24) == 0) return (0, (int)host);
        if (!BitConverter.IsLittleEndian && networkOrder != 0 && (networkOrder >> 24) == 0) return (0, (int)networkOrder);
        return (networkOrder, 0);
    }

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

    // ---- socket options (called under Gate from SetOption / GetOption) ----

    /// <summary>The multicast options of IPPROTO_IP / IPPROTO_IPV6 on UDP. False: not a multicast option.</summary>
    private bool TrySetMulticastOption(int level, int optname, byte[] optval, int optlen, out int error)
    {
        error = 0;
        if (!IsDatagram) return false;
        bool v6 = Family == Ws2Spi.AF_INET6;
        if ((level == Ws2Spi.IPPROTO_IP && v6) || (level == Ws2Spi.IPPROTO_IPV6 && !v6) || level is not (Ws2Spi.IPPROTO_IP or Ws2Spi.IPPROTO_IPV6))
            return false;
        var val = optval.AsSpan(0, optlen);
        var mc = Mc;
        switch (optname)
        {
            case Ws2Spi.MCAST_JOIN_GROUP or Ws2Spi.MCAST_LEAVE_GROUP:
                error = GroupRequest(val, optname == Ws2Spi.MCAST_JOIN_GROUP, withSource: false);
                return true;
            case Ws2Spi.MCAST_JOIN_SOURCE_GROUP or Ws2Spi.MCAST_LEAVE_SOURCE_GROUP:
                error = GroupRequest(val, optname == Ws2Spi.MCAST_JOIN_SOURCE_GROUP, withSource: true);
                return true;
            case Ws2Spi.MCAST_BLOCK_SOURCE or Ws2Spi.MCAST_UNBLOCK_SOURCE:
                error = Ws2Spi.WSAENOPROTOOPT;
                return true;
        }
        if (!v6)
        {
            switch (optname)
            {
                case Ws2Spi.IP_MULTICAST_IF:
                {
                    if (optlen < 4) { error = Ws2Spi.WSAEFAULT; return true; }
                    uint raw = MemoryMarshal.Read<uint>(val);
                    var (address, index) = SplitV4Interface(raw);
                    Span<byte> mreqn = stackalloc byte[12]; // struct ip_mreqn { multiaddr 0; address; ifindex }
                    mreqn.Clear();
                    MemoryMarshal.Write(mreqn[4..], in address);
                    MemoryMarshal.Write(mreqn[8..], in index);
                    error = Set(0, L_IP_MULTICAST_IF, mreqn);
                    if (error == 0) mc.InterfaceV4 = raw;
                    return true;
                }
                case Ws2Spi.IP_MULTICAST_TTL:
                {
                    if (optlen < 1) { error = Ws2Spi.WSAEFAULT; return true; }
                    int ttl = optlen >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(val) : val[0];
                    error = ttl is < 0 or > 255 ? Ws2Spi.WSAEINVAL : SetInt(0, L_IP_MULTICAST_TTL, ttl);
                    return true;
                }
                case Ws2Spi.IP_MULTICAST_LOOP:
                    if (optlen < 1) { error = Ws2Spi.WSAEFAULT; return true; }
                    SetLoopback(optlen >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(val) != 0 : val[0] != 0);
                    return true;
                case Ws2Spi.IP_ADD_MEMBERSHIP or Ws2Spi.IP_DROP_MEMBERSHIP:
                {
                    // struct ip_mreq { imr_multiaddr; imr_interface }
                    if (optlen < 8) { error = Ws2Spi.WSAEFAULT; return true; }
                    var group = new IPAddress(val[..4]);
                    if (!IsMulticast(group)) { error = Ws2Spi.WSAEINVAL; return true; }
                    error = KernelMembership(optname == Ws2Spi.IP_ADD_MEMBERSHIP, group, null, SplitV4Interface(MemoryMarshal.Read<uint>(val[4..])));
                    return true;
                }
                case Ws2Spi.IP_ADD_SOURCE_MEMBERSHIP or Ws2Spi.IP_DROP_SOURCE_MEMBERSHIP:
                {
                    // Windows' struct ip_mreq_source { imr_multiaddr; imr_sourceaddr; imr_interface }
                    if (optlen < 12) { error = Ws2Spi.WSAEFAULT; return true; }
                    var group = new IPAddress(val[..4]);
                    var source = new IPAddress(val.Slice(4, 4));
                    if (!IsMulticast(group) || IsMulticast(source) || source.Equals(IPAddress.Any)) { error = Ws2Spi.WSAEINVAL; return true; }
                    error = KernelMembership(optname == Ws2Spi.IP_ADD_SOURCE_MEMBERSHIP, group, source, SplitV4Interface(MemoryMarshal.Read<uint>(val[8..])));
                    return true;
                }
            }
            return false;
        }
        switch (optname)
        {
            case Ws2Spi.IPV6_MULTICAST_IF:
            {
                if (optlen < 4) { error = Ws2Spi.WSAEFAULT; return true; }
                int index = BinaryPrimitives.ReadInt32LittleEndian(val);
                error = index < 0 ? Ws2Spi.WSAEINVAL : SetInt(41, L_IPV6_MULTICAST_IF, index);
                if (error == 0) mc.InterfaceV6 = index;
                return true;
            }
            case Ws2Spi.IPV6_MULTICAST_HOPS:
            {
                if (optlen < 1) { error = Ws2Spi.WSAEFAULT; return true; }
                int hops = optlen >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(val) : val[0];
                error = hops is < -1 or > 255 ? Ws2Spi.WSAEINVAL : SetInt(41, L_IPV6_MULTICAST_HOPS, hops);
                return true;
            }
            case Ws2Spi.IPV6_MULTICAST_LOOP:
                if (optlen < 1) { error = Ws2Spi.WSAEFAULT; return true; }
                SetLoopback(optlen >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(val) != 0 : val[0] != 0);
                return true;
            case Ws2Spi.IPV6_ADD_MEMBERSHIP or Ws2Spi.IPV6_DROP_MEMBERSHIP:
            {
                // struct ipv6_mreq { in6_addr ipv6mr_multiaddr; ULONG ipv6mr_interface }
                if (optlen < 20) { error = Ws2Spi.WSAEFAULT; return true; }
                var group = new IPAddress(val[..16]);
                if (!group.IsIPv6Multicast) { error = Ws2Spi.WSAEINVAL; return true; }
                error = KernelMembership(optname == Ws2Spi.IPV6_ADD_MEMBERSHIP, group, null, (0, BinaryPrimitives.ReadInt32LittleEndian(val[16..])));
                return true;
            }
        }
        return false;
    }

    /// <summary>MCAST_JOIN_GROUP / MCAST_LEAVE_GROUP / MCAST_JOIN_SOURCE_GROUP / MCAST_LEAVE_SOURCE_GROUP (Windows group_req layouts).</summary>
    private int GroupRequest(ReadOnlySpan<byte> val, bool join, bool withSource)
    {
        const int off = 8, ss = 128;
        if (val.Length < off + ss * (withSource ? 2 : 1)) return Ws2Spi.WSAEFAULT;
        int index = BinaryPrimitives.ReadInt32LittleEndian(val);
        int rc = SockAddr.TryParse(val.Slice(off, ss).ToArray(), ss, out var group);
        if (rc != 0) return rc == Ws2Spi.WSAEAFNOSUPPORT ? Ws2Spi.WSAEINVAL : rc;
        if (SockAddr.FamilyOf(group!.AddressFamily) != Family || !IsMulticast(group.Address)) return Ws2Spi.WSAEINVAL;
        IPAddress? source = null;
        if (withSource)
        {
            rc = SockAddr.TryParse(val.Slice(off + ss, ss).ToArray(), ss, out var src);
            if (rc != 0) return rc == Ws2Spi.WSAEAFNOSUPPORT ? Ws2Spi.WSAEINVAL : rc;
            if (src!.Address.AddressFamily != group.AddressFamily || IsMulticast(src.Address)) return Ws2Spi.WSAEINVAL;
            source = new IPAddress(src.Address.GetAddressBytes());
        }
        var g = new IPAddress(group.Address.GetAddressBytes());
        // By interface index for both families (0: the kernel chooses).
        return KernelMembership(join, g, source, (0, index));
    }

    private void SetLoopback(bool on)
    {
        var mc = Mc;
        mc.Loopback = on;
        if (on) mc.OwnSends.Clear();
    }

    /// <summary>getsockopt for the multicast options. False: not a multicast option.</summary>
    private bool TryGetMulticastOption(int level, int optname, byte[] optval, ref int optlen, out int error)
    {
        error = 0;
        if (!IsDatagram) return false;
        bool v6 = Family == Ws2Spi.AF_INET6;
        if (!((level == Ws2Spi.IPPROTO_IP && !v6) || (level == Ws2Spi.IPPROTO_IPV6 && v6))) return false;
        int value;
        switch (optname)
        {
            case Ws2Spi.IP_MULTICAST_IF: // == IPV6_MULTICAST_IF
                if (optlen < 4) { error = Ws2Spi.WSAEFAULT; return true; }
                if (v6) BinaryPrimitives.WriteInt32LittleEndian(optval, _mc?.InterfaceV6 ?? 0);
                else
                {
                    uint itf = _mc?.InterfaceV4 ?? 0;
                    MemoryMarshal.Write(optval, in itf);
                }
                optlen = 4;
                return true;
            case Ws2Spi.IP_MULTICAST_TTL: // == IPV6_MULTICAST_HOPS
                error = v6 ? GetInt(41, L_IPV6_MULTICAST_HOPS, out value) : GetInt(0, L_IP_MULTICAST_TTL, out value);
                break;
            case Ws2Spi.IP_MULTICAST_LOOP: // == IPV6_MULTICAST_LOOP
                value = _mc?.Loopback ?? true ? 1 : 0;
                break;
            case Ws2Spi.IP_ADD_MEMBERSHIP or Ws2Spi.IP_DROP_MEMBERSHIP or Ws2Spi.IP_ADD_SOURCE_MEMBERSHIP or Ws2Spi.IP_DROP_SOURCE_MEMBERSHIP
                or Ws2Spi.MCAST_JOIN_GROUP or Ws2Spi.MCAST_LEAVE_GROUP or Ws2Spi.MCAST_BLOCK_SOURCE or Ws2Spi.MCAST_UNBLOCK_SOURCE
                or Ws2Spi.MCAST_JOIN_SOURCE_GROUP or Ws2Spi.MCAST_LEAVE_SOURCE_GROUP:
                error = Ws2Spi.WSAENOPROTOOPT; // set-only
                return true;
            default:
                return false;
        }
        if (error != 0) return true;
        if (optlen < 4) { error = Ws2Spi.WSAEFAULT; return true; }
        BinaryPrimitives.WriteInt32LittleEndian(optval, value);
        optlen = 4;
        return true;
    }

    // ---- ioctls (called under Gate from Ioctl) ----

    /// <summary>SIO_MULTIPOINT_LOOPBACK, SIO_MULTICAST_SCOPE, SIO_JOINLEAF_SOURCE; anything else is WSAEINVAL.</summary>
    private int MulticastIoctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        if (code is not (Ws2Spi.SIO_MULTIPOINT_LOOPBACK or Ws2Spi.SIO_MULTICAST_SCOPE or Ws2Spi.SIO_JOINLEAF_SOURCE)) return Ws2Spi.WSAEINVAL;
        if (IsStream) return Ws2Spi.WSAEOPNOTSUPP; // multicast is UDP's
        bool v6 = Family == Ws2Spi.AF_INET6;
        bool hasIn = input is not null && inLen > 0;
        if (hasIn && inLen > input!.Length) return Ws2Spi.WSAEFAULT;
        bool hasOut = output is not null && outLen >= 4 && output.Length >= 4;
        if (code == Ws2Spi.SIO_JOINLEAF_SOURCE)
        {
            if (!hasIn)
            {
                Mc.NextSource = null;
                return 0;
            }
            int rc = SockAddr.TryParse(input, (int)inLen, out var src);
            if (rc != 0) return rc;
            if (SockAddr.Family(input) != Family) return Ws2Spi.WSAEAFNOSUPPORT;
            var a = src!.Address;
            if (IsMulticast(a) || a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)) return Ws2Spi.WSAEINVAL;
            Mc.NextSource = new IPAddress(a.GetAddressBytes());
            return 0;
        }
        if (!hasIn && !hasOut) return Ws2Spi.WSAEFAULT;
        if (hasIn && inLen < 4) return Ws2Spi.WSAEFAULT;
        int value = hasIn ? BinaryPrimitives.ReadInt32LittleEndian(input) : 0;
        if (code == Ws2Spi.SIO_MULTIPOINT_LOOPBACK)
        {
            if (hasIn) SetLoopback(value != 0);
            value = Mc.Loopback ? 1 : 0;
        }
        else
        {
            // The scope is the TTL (hop limit): 0 = this host only, 1 = this subnet (the default), n = up to n routers.
            if (hasIn)
            {
                if (value is < 0 or > 255) return Ws2Spi.WSAEINVAL;
                int err = v6 ? SetInt(41, L_IPV6_MULTICAST_HOPS, value) : SetInt(0, L_IP_MULTICAST_TTL, value);
                if (err != 0) return err;
            }
            int gerr = v6 ? GetInt(41, L_IPV6_MULTICAST_HOPS, out value) : GetInt(0, L_IP_MULTICAST_TTL, out value);
            if (gerr != 0) return gerr;
        }
        if (hasOut)
        {
            BinaryPrimitives.WriteInt32LittleEndian(output, value);
            returned = 4;
        }
        return 0;
    }

    // ---- data path hooks (called under Gate from CheckSend, TrySend, CheckReceive, TryReceive) ----

    /// <summary>A joined socket sends only to its group, as a connected one sends only to its peer. 0 or WSAEOPNOTSUPP.</summary>
    private int MulticastSendTarget(out IPEndPoint? target)
    {
        target = _mc!.SendGroup;
        return target is null ? Ws2Spi.WSAEOPNOTSUPP : 0; // every join was JL_RECEIVER_ONLY
    }

    /// <summary>With loopback off, remembers a multicast datagram just sent so that its loopback copy can be dropped.</summary>
    private void NoteOwnSend(IoRequest r, int length)
    {
        if (_mc is not { Loopback: false } mc || r.To is not { } to) return;
        bool multicast = to.Length >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(to) == 2 ? (to[4] & 0xF0) == 0xE0
            : to.Length >= 24 && to[8] == 0xFF;
        if (!multicast) return;
        var prefix = new byte[Math.Min(OwnSendPrefix, length)];
        Gather(r, prefix);
        mc.OwnSends.AddLast((length, prefix));
        if (mc.OwnSends.Count > OwnSendLedger) mc.OwnSends.RemoveFirst();
    }

    /// <summary>
    /// After a datagram was read: true if it must not be delivered (the socket's own send coming back with
    /// loopback off). The datagram is then consumed (also when it was only peeked) and the caller reads the next.
    /// </summary>
    private unsafe bool MulticastDrop(IoRequest r, byte* name, int namelen, int n, bool truncated, int linuxFlags)
    {
        if (_mc is not { Loopback: false } mc || mc.OwnSends.Count == 0) return false;
        var from = LinuxSockAddr.FromLinux(new ReadOnlySpan<byte>(name, namelen));
        if (from is null || from.Port != (LocalEndPoint?.Port ?? -1)) return false;
        var got = new byte[Math.Min(OwnSendPrefix, n)];
        Gather(r, got);
        for (var node = mc.OwnSends.First; node is not null; node = node.Next)
        {
            var (length, prefix) = node.Value;
            bool sameLength = truncated ? length > n : length == n;
            int k = Math.Min(got.Length, prefix.Length);
            if (!sameLength || !got.AsSpan(0, k).SequenceEqual(prefix.AsSpan(0, k))) continue;
            // Datagrams of one socket come back in order: older entries were lost on the way.
            while (mc.OwnSends.First != node) mc.OwnSends.RemoveFirst();
            mc.OwnSends.RemoveFirst();
            if ((linuxFlags & Libc.MSG_PEEK) != 0)
            {
                var msg = new Libc.msghdr();
                Libc.recvmsg(_fd, &msg, Libc.MSG_DONTWAIT); // consume the peeked datagram
            }
            return true;
        }
        return false;
    }

    /// <summary>Copies the first bytes of a request's buffers.</summary>
    private static void Gather(IoRequest r, Span<byte> into)
    {
        int at = 0;
        for (int i = 0; i < r.SegmentCount; i++)
        {
            var seg = r.Segment(i);
            if (at == into.Length) break;
            int take = Math.Min(seg.Count, into.Length - at);
            seg.AsSpan(0, take).CopyTo(into[at..]);
            at += take;
        }
    }

    /// <summary>A socket whose every join was JL_SENDER_ONLY receives nothing: WSAEOPNOTSUPP (the seed's send-only socket).</summary>
    private bool MulticastSendOnly => _mc is { SendOnly: true };
}
