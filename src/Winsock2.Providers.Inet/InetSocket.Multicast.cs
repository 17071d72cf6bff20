using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Nonrooted multipoint on UDP: IP multicast joins through WSPJoinLeaf, the multicast socket options and ioctls
/// with their Winsock numbers, and the Windows semantics Linux lacks (per-socket group delivery, receive-side
/// loopback). docs/multicast.md describes the mapping. This part: the socket's multicast state, WSPJoinLeaf and
/// the data path hooks; the options and ioctls are in InetSocket.MulticastOptions.cs, the kernel memberships in
/// InetSocket.MulticastKernel.cs.
/// </summary>
internal sealed partial class InetSocket
{
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

    /// <summary>
    /// The address a multipoint UDP socket was bound to when the kernel holds the wildcard address instead
    /// (<see cref="BindsForGroups"/>): what getsockname shows, and the interface its joins use. Null otherwise.
    /// </summary>
    private IPEndPoint? _visibleLocal;

    /// <summary>
    /// Windows delivers a group's datagrams to a member bound to an interface address; Linux delivers them only to a
    /// socket bound to the wildcard address or to the group. So a UDP socket made for multipoint (c_leaf/d_leaf) that
    /// binds to a unicast address is bound to the wildcard address on that port underneath, keeps the address for
    /// getsockname, and joins on that address's interface. Nothing Windows would deliver is filtered; what Linux adds
    /// (a unicast datagram to another local address on that port) is documented in docs/multicast.md.
    /// </summary>
    private bool BindsForGroups(IPEndPoint ep) =>
        IsDatagram && (Flags & (Ws2Spi.WSA_FLAG_MULTIPOINT_C_LEAF | Ws2Spi.WSA_FLAG_MULTIPOINT_D_LEAF)) != 0
        && !ep.Address.Equals(IPAddress.Any) && !ep.Address.Equals(IPAddress.IPv6Any) && !IsMulticast(ep.Address);

    private MulticastState Mc => _mc ??= new MulticastState();

    /// <summary>
    /// Every UDP socket gets Windows' delivery rule: a socket receives multicast only for the groups it joined
    /// itself (Linux's default, IP_MULTICAST_ALL on, delivers every group any socket of the host joined).
    /// </summary>
    private void InitMulticast()
    {
        if (!IsDatagram) return;
        if (Family == Ws2Spi.AF_INET6) SetInt(LinuxMulticast.SOL_IPV6, LinuxMulticast.IPV6_MULTICAST_ALL, 0);
        else SetInt(LinuxMulticast.SOL_IP, LinuxMulticast.IP_MULTICAST_ALL, 0);
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
        // Connect data first: the entry cannot carry it (no XP1_CONNECT_DATA) whatever the socket, as WSAConnect on
        // the same entry answers; only then whether this socket may join (docs/conformance.md, peer section).
        if ((callerData is not null && callerData.len > 0) || (calleeData is not null && calleeData.len > 0))
            return Ws2Spi.WSAEPROTONOSUPPORT;
        if ((Flags & (Ws2Spi.WSA_FLAG_MULTIPOINT_C_LEAF | Ws2Spi.WSA_FLAG_MULTIPOINT_D_LEAF)) == 0 || IsStream) return Ws2Spi.WSAEINVAL;
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

    /// <summary>
    /// The interface a WSAJoinLeaf joins on: the one IP_MULTICAST_IF / IPV6_MULTICAST_IF named, else the one the socket
    /// is bound to (<see cref="_visibleLocal"/>), else the kernel chooses.
    /// </summary>
    private (uint Address, int Index) DefaultInterface(MulticastState mc)
    {
        if (Family == Ws2Spi.AF_INET6)
            return (0, mc.InterfaceV6 != 0 || _visibleLocal is null ? mc.InterfaceV6 : InterfaceIndexOf(_visibleLocal.Address));
        if (mc.InterfaceV4 == 0 && _visibleLocal is not null)
            return (BinaryPrimitives.ReadUInt32LittleEndian(_visibleLocal.Address.GetAddressBytes()), 0);
        return SplitV4Interface(mc.InterfaceV4);
    }

    /// <summary>The index of the interface holding <paramref name="address"/> (0 if none does: the kernel chooses).</summary>
    private static int InterfaceIndexOf(IPAddress address)
    {
        foreach (var itf in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            var props = itf.GetIPProperties();
            foreach (var u in props.UnicastAddresses)
                if (u.Address.Equals(address)) return props.GetIPv6Properties()?.Index ?? 0;
        }
        return 0;
    }

    /// <summary>Windows' IPv4 interface field: an address, or 0.0.0.n for interface index n (network order bytes).</summary>
    private static (uint Address, int Index) SplitV4Interface(uint networkOrder)
    {
        uint host = BinaryPrimitives.ReverseEndianness(networkOrder);
        if (BitConverter.IsLittleEndian && host != 0 && (host >> 24) == 0) return (0, (int)host);
        if (!BitConverter.IsLittleEndian && networkOrder != 0 && (networkOrder >> 24) == 0) return (0, (int)networkOrder);
        return (networkOrder, 0);
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
                SocketCalls.RecvMsg(_handle, null, 0, null, 0, Libc.MSG_DONTWAIT, out _, out _, out _); // consume the peeked datagram
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
