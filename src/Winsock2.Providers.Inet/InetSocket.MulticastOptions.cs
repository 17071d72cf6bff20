using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Winsock2.Interop;

namespace Winsock2.Providers.Inet;

/// <summary>The multicast socket options and ioctls of a UDP socket, with their Winsock numbers and layouts.</summary>
internal sealed partial class InetSocket
{
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
            case Ws2Spi.IP_MULTICAST_TTL: // == IPV6_MULTICAST_HOPS
                error = v6 ? SetHops(val, optlen, -1, LinuxMulticast.SOL_IPV6, LinuxMulticast.IPV6_MULTICAST_HOPS)
                    : SetHops(val, optlen, 0, LinuxMulticast.SOL_IP, LinuxMulticast.IP_MULTICAST_TTL);
                return true;
            case Ws2Spi.IP_MULTICAST_LOOP: // == IPV6_MULTICAST_LOOP
                error = SetLoopOption(val, optlen);
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
                    error = Set(LinuxMulticast.SOL_IP, LinuxMulticast.IP_MULTICAST_IF, LinuxMulticast.InterfaceRequest(address, index));
                    if (error == 0) mc.InterfaceV4 = raw;
                    return true;
                }
                case Ws2Spi.IP_ADD_MEMBERSHIP or Ws2Spi.IP_DROP_MEMBERSHIP:
                {
                    if (optlen < WinsockMulticast.IpMreqSize) { error = Ws2Spi.WSAEFAULT; return true; }
                    var (group, itf) = WinsockMulticast.ReadIpMreq(val);
                    if (!IsMulticast(group)) { error = Ws2Spi.WSAEINVAL; return true; }
                    error = KernelMembership(optname == Ws2Spi.IP_ADD_MEMBERSHIP, group, null, SplitV4Interface(itf));
                    return true;
                }
                case Ws2Spi.IP_ADD_SOURCE_MEMBERSHIP or Ws2Spi.IP_DROP_SOURCE_MEMBERSHIP:
                {
                    if (optlen < WinsockMulticast.IpMreqSourceSize) { error = Ws2Spi.WSAEFAULT; return true; }
                    var (group, source, itf) = WinsockMulticast.ReadIpMreqSource(val);
                    if (!IsMulticast(group) || IsMulticast(source) || source.Equals(IPAddress.Any)) { error = Ws2Spi.WSAEINVAL; return true; }
                    error = KernelMembership(optname == Ws2Spi.IP_ADD_SOURCE_MEMBERSHIP, group, source, SplitV4Interface(itf));
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
                error = index < 0 ? Ws2Spi.WSAEINVAL : SetInt(LinuxMulticast.SOL_IPV6, LinuxMulticast.IPV6_MULTICAST_IF, index);
                if (error == 0) mc.InterfaceV6 = index;
                return true;
            }
            case Ws2Spi.IPV6_ADD_MEMBERSHIP or Ws2Spi.IPV6_DROP_MEMBERSHIP:
            {
                if (optlen < WinsockMulticast.Ipv6MreqSize) { error = Ws2Spi.WSAEFAULT; return true; }
                var (group, index) = WinsockMulticast.ReadIpv6Mreq(val);
                if (!group.IsIPv6Multicast) { error = Ws2Spi.WSAEINVAL; return true; }
                error = KernelMembership(optname == Ws2Spi.IPV6_ADD_MEMBERSHIP, group, null, (0, index));
                return true;
            }
        }
        return false;
    }

    /// <summary>MCAST_JOIN_GROUP / MCAST_LEAVE_GROUP / MCAST_JOIN_SOURCE_GROUP / MCAST_LEAVE_SOURCE_GROUP (Windows group_req layouts).</summary>
    private int GroupRequest(ReadOnlySpan<byte> val, bool join, bool withSource)
    {
        if (val.Length < WinsockMulticast.GroupReqSize(withSource)) return Ws2Spi.WSAEFAULT;
        int index = WinsockMulticast.ReadGroupReqInterface(val);
        int rc = WinsockMulticast.ReadGroupReqAddress(val, 0, out var group);
        if (rc != 0) return rc == Ws2Spi.WSAEAFNOSUPPORT ? Ws2Spi.WSAEINVAL : rc;
        if (SockAddr.FamilyOf(group!.AddressFamily) != Family || !IsMulticast(group.Address)) return Ws2Spi.WSAEINVAL;
        IPAddress? source = null;
        if (withSource)
        {
            rc = WinsockMulticast.ReadGroupReqAddress(val, 1, out var src);
            if (rc != 0) return rc == Ws2Spi.WSAEAFNOSUPPORT ? Ws2Spi.WSAEINVAL : rc;
            if (src!.Address.AddressFamily != group.AddressFamily || IsMulticast(src.Address)) return Ws2Spi.WSAEINVAL;
            source = new IPAddress(src.Address.GetAddressBytes());
        }
        var g = new IPAddress(group.Address.GetAddressBytes());
        // By interface index for both families (0: the kernel chooses).
        return KernelMembership(join, g, source, (0, index));
    }

    /// <summary>
    /// IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS: a DWORD (or a single byte) from <paramref name="min"/> to 255
    /// (-1 for IPv6: the route's default). 0 or the error.
    /// </summary>
    private int SetHops(ReadOnlySpan<byte> val, int optlen, int min, int level, int option)
    {
        if (optlen < 1) return Ws2Spi.WSAEFAULT;
        int hops = optlen >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(val) : val[0];
        return hops < min || hops > 255 ? Ws2Spi.WSAEINVAL : SetInt(level, option, hops);
    }

    /// <summary>IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP: a DWORD (or a single byte), nonzero = on. 0 or WSAEFAULT.</summary>
    private int SetLoopOption(ReadOnlySpan<byte> val, int optlen)
    {
        if (optlen < 1) return Ws2Spi.WSAEFAULT;
        SetLoopback(optlen >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(val) != 0 : val[0] != 0);
        return 0;
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
                error = v6 ? GetInt(LinuxMulticast.SOL_IPV6, LinuxMulticast.IPV6_MULTICAST_HOPS, out value) : GetInt(LinuxMulticast.SOL_IP, LinuxMulticast.IP_MULTICAST_TTL, out value);
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

    /// <summary>
    /// SIO_MULTIPOINT_LOOPBACK, SIO_MULTICAST_SCOPE, SIO_JOINLEAF_SOURCE. The change notifications
    /// (SIO_ROUTING_INTERFACE_CHANGE, SIO_ADDRESS_LIST_CHANGE) are not implemented: WSAEINVAL. A code no driver knows
    /// is WSAEOPNOTSUPP, as Windows answers it (Wine's test_unsupported_ioctls).
    /// </summary>
    private int MulticastIoctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        if (code is Ws2Spi.SIO_ROUTING_INTERFACE_CHANGE or Ws2Spi.SIO_ADDRESS_LIST_CHANGE) return Ws2Spi.WSAEINVAL;
        if (code is not (Ws2Spi.SIO_MULTIPOINT_LOOPBACK or Ws2Spi.SIO_MULTICAST_SCOPE or Ws2Spi.SIO_JOINLEAF_SOURCE)) return Ws2Spi.WSAEOPNOTSUPP;
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
                int err = v6 ? SetInt(LinuxMulticast.SOL_IPV6, LinuxMulticast.IPV6_MULTICAST_HOPS, value) : SetInt(LinuxMulticast.SOL_IP, LinuxMulticast.IP_MULTICAST_TTL, value);
                if (err != 0) return err;
            }
            int gerr = v6 ? GetInt(LinuxMulticast.SOL_IPV6, LinuxMulticast.IPV6_MULTICAST_HOPS, out value) : GetInt(LinuxMulticast.SOL_IP, LinuxMulticast.IP_MULTICAST_TTL, out value);
            if (gerr != 0) return gerr;
        }
        if (hasOut)
        {
            BinaryPrimitives.WriteInt32LittleEndian(output, value);
            returned = 4;
        }
        return 0;
    }
}
