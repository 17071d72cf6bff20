using System.Buffers.Binary;
using System.Net;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// WSARecvMsg and WSASendMsg, and the packet information (IP_PKTINFO / IPV6_PKTINFO) a WSARecvMsg reports as control
/// data. A WSARecvMsg is a receive like WSARecvFrom (same checks, queue and completion) whose request carries the
/// WSAMSG: when its datagram arrives, the kernel's control messages are translated into WSACMSGHDR records in the
/// message's control buffer (Control.len becomes their size; MSG_CTRUNC when it is too short), and dwFlags and namelen
/// are set.
/// </summary>
internal sealed partial class InetSocket
{
    // Linux numbering of the packet information options and control messages.
    private const int LinuxIpPktInfo = 8, LinuxIpv6RecvPktInfo = 49, LinuxIpv6PktInfo = 50, LinuxIpprotoIpv6 = 41;
    /// <summary>A WSACMSGHDR (cmsg_len SIZE_T, cmsg_level, cmsg_type) and where its data starts: 16 bytes on 64-bit Windows.</summary>
    private const int CmsgHeader = 16;

    /// <summary>
    /// The kernel's control messages one receive takes (WSARecvMsg's, or a RIOReceiveEx's with a control slice): its
    /// packet information.
    /// </summary>
    private const int ControlCapacity = 256;

    /// <summary>
    /// WSARecvMsg: WSAEFAULT for a null message, invalid buffers or control buffer, or a name shorter than its namelen;
    /// WSAEINVAL on a stream socket (the function is for datagrams). Then as WSARecvFrom.
    /// </summary>
    public int ReceiveMessage(WSAMSG msg, out uint received, WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId)
    {
        received = 0;
        if (msg is null || !ProviderBase<InetSocket>.BuffersValid(msg.lpBuffers, msg.dwBufferCount) || msg.Control is null || !msg.Control.IsValid
            || (msg.name is not null && (msg.namelen < 0 || msg.namelen > msg.name.Length)))
            return Ws2Spi.WSAEFAULT;
        if (IsStream) return Ws2Spi.WSAEINVAL;
        uint flags = msg.dwFlags;
        int fromlen = msg.name is null ? 0 : msg.namelen;
        int rc = Receive(msg.lpBuffers!, msg.dwBufferCount, out received, ref flags, msg.name, ref fromlen, ov, routine, threadId, msg, out int errno);
        return rc == 0 ? 0 : errno;
    }

    /// <summary>
    /// WSASendMsg: WSAEFAULT for a null message, invalid buffers or control buffer; WSAEINVAL on a stream socket (the
    /// function is for datagrams) and for control data that is not a well-formed run of IP_PKTINFO / IPV6_PKTINFO
    /// records. Then as WSASendTo, the packet information choosing the datagram's source address and interface.
    /// </summary>
    public int SendMessage(WSAMSG msg, uint flags, out uint sent, WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId)
    {
        sent = 0;
        if (msg is null || !ProviderBase<InetSocket>.BuffersValid(msg.lpBuffers, msg.dwBufferCount) || (msg.Control is { } c && !c.IsValid)
            || (msg.name is null && msg.namelen != 0))
            return Ws2Spi.WSAEFAULT;
        if (IsStream) return Ws2Spi.WSAEINVAL;
        if (msg.Control is { len: > 0 } control && TranslateControl(control.AsSpan(), [], out _) != 0) return Ws2Spi.WSAEINVAL;
        int rc = Send(msg.lpBuffers!, msg.dwBufferCount, out sent, flags, msg.name, msg.name is null ? 0 : msg.namelen, ov, routine, threadId,
            msg.Control is { len: > 0 } ? msg : null, out int errno);
        return rc == 0 ? 0 : errno;
    }

    /// <summary>
    /// The sendmsg of a send: with the request's WSAMSG (a WSASendMsg with control data), its packet information
    /// records go along, translated into Linux control messages.
    /// </summary>
    private unsafe nint SendCall(IoRequest r, Libc.iovec* iov, int iovCount, byte* to, int linuxFlags, out int err)
    {
        uint toLength = (uint)(r.To?.Length ?? 0);
        if (r.Message is not { Control.len: > 0 } msg)
            return SocketCalls.SendMsg(_handle, iov, iovCount, to, toLength, linuxFlags, out err);
        var windows = msg.Control.AsSpan();
        // Each Windows record is at least 24 bytes and becomes at most 40: twice the Windows size always holds the Linux records.
        int capacity = 2 * windows.Length;
        Span<byte> linux = capacity <= 512 ? stackalloc byte[capacity] : new byte[capacity];
        if (TranslateControl(windows, linux, out int length) != 0)
        {
            err = 22; // EINVAL: the application changed the control data after the call was checked
            return -1;
        }
        fixed (byte* control = linux)
            return SocketCalls.SendMsgControl(_handle, iov, iovCount, to, toLength, control, (uint)length, linuxFlags, out err);
    }

    /// <summary>
    /// Translates WSASendMsg control data (WSACMSGHDR records: cmsg_len SIZE_T, cmsg_level, cmsg_type, data from byte
    /// 16, each record starting 8-aligned) into Linux cmsghdr records in <paramref name="linux"/> (only measured when it
    /// is empty): IP_PKTINFO's IN_PKTINFO { ipi_addr, ipi_ifindex } becomes struct in_pktinfo with the source in
    /// ipi_spec_dst (the field Linux takes the source address from); IPV6_PKTINFO's IN6_PKTINFO has in6_pktinfo's layout.
    /// WSAEINVAL for a record whose cmsg_len is shorter than its header or its structure or runs past the buffer, for
    /// any other level or type, and for IPV6_PKTINFO on an IPv4 socket. Bytes after the last record that cannot hold a
    /// header are its alignment padding.
    /// </summary>
    private int TranslateControl(ReadOnlySpan<byte> windows, Span<byte> linux, out int written)
    {
        written = 0;
        bool measure = linux.IsEmpty;
        int at = 0;
        do
        {
            if (windows.Length - at < CmsgHeader) return Ws2Spi.WSAEINVAL; // not even one header
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(windows[at..]);
            int level = BinaryPrimitives.ReadInt32LittleEndian(windows[(at + 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(windows[(at + 12)..]);
            if (len < CmsgHeader || len > (ulong)(windows.Length - at)) return Ws2Spi.WSAEINVAL;
            var data = windows.Slice(at + CmsgHeader, (int)len - CmsgHeader);
            int linuxLevel, linuxType, size;
            if (level == Ws2Spi.IPPROTO_IP && type == Ws2Spi.IP_PKTINFO && data.Length >= 8)
            {
                (linuxLevel, linuxType, size) = (0, LinuxIpPktInfo, 12);
            }
            else if (level == Ws2Spi.IPPROTO_IPV6 && type == Ws2Spi.IPV6_PKTINFO && data.Length >= 20 && Family == Ws2Spi.AF_INET6)
            {
                (linuxLevel, linuxType, size) = (LinuxIpprotoIpv6, LinuxIpv6PktInfo, 20);
            }
            else return Ws2Spi.WSAEINVAL;
            if (!measure)
            {
                var rec = linux.Slice(written, CmsgHeader + ((size + 7) & ~7));
                rec.Clear();
                BinaryPrimitives.WriteUInt64LittleEndian(rec, (ulong)(CmsgHeader + size));
                BinaryPrimitives.WriteInt32LittleEndian(rec[8..], linuxLevel);
                BinaryPrimitives.WriteInt32LittleEndian(rec[12..], linuxType);
                var info = rec[CmsgHeader..];
                if (linuxType == LinuxIpPktInfo)
                {
                    // struct in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr; }
                    data.Slice(4, 4).CopyTo(info);
                    data[..4].CopyTo(info[4..]);
                }
                else data[..20].CopyTo(info);
            }
            written += CmsgHeader + ((size + 7) & ~7);
            at += (int)((len + 7) & ~7UL);
        }
        while (at < windows.Length && windows.Length - at >= CmsgHeader);
        return 0;
    }

    /// <summary>
    /// The recvmsg of a receive: with the request's WSAMSG (a WSARecvMsg on a datagram socket), also the control
    /// messages, translated into the message.
    /// </summary>
    private unsafe nint ReceiveCall(IoRequest r, Libc.iovec* iov, int iovCount, byte* name, int linuxFlags,
        out uint nameLength, out int msgFlags, out int err)
    {
        if (r.Message is not { } msg || !IsDatagram)
            return SocketCalls.RecvMsg(_handle, iov, iovCount, IsDatagram ? name : null, 128, linuxFlags, out nameLength, out msgFlags, out err);
        byte* control = stackalloc byte[ControlCapacity];
        nint n = SocketCalls.RecvMsgControl(_handle, iov, iovCount, name, 128, control, ControlCapacity, linuxFlags,
            out nameLength, out msgFlags, out int controlLength, out err);
        if (n >= 0) FillMessage(msg, new ReadOnlySpan<byte>(control, controlLength), msgFlags);
        return n;
    }

    /// <summary>Writes the packet information of the kernel's control messages into the WSAMSG, with its flags and name length.</summary>
    private void FillMessage(WSAMSG msg, ReadOnlySpan<byte> linux, int linuxFlags)
    {
        msg.Control.len = (uint)WritePacketInfo(linux, linuxFlags, msg.Control.AsSpan(), out uint flags); // from the buffer's offset
        msg.dwFlags = flags;
        if (msg.name is not null) msg.namelen = SockAddr.SizeOf(Family);
    }

    /// <summary>
    /// Translates the packet information among the kernel's control messages (<paramref name="linux"/>) into Windows
    /// WSACMSGHDR records in <paramref name="control"/> and returns the bytes written. <paramref name="flags"/>: the
    /// message's Windows flags — MSG_TRUNC, MSG_CTRUNC when a record did not fit (or the kernel cut its own), MSG_MCAST or
    /// MSG_BCAST by the datagram's destination.
    /// </summary>
    private static int WritePacketInfo(ReadOnlySpan<byte> linux, int linuxFlags, Span<byte> control, out uint flags)
    {
        int written = 0;
        flags = (linuxFlags & Libc.MSG_TRUNC) != 0 ? (uint)Ws2Spi.MSG_TRUNC : 0;
        Span<byte> info = stackalloc byte[20];
        for (int at = 0; at + CmsgHeader <= linux.Length;)
        {
            int len = (int)BinaryPrimitives.ReadUInt64LittleEndian(linux[at..]);
            int level = BinaryPrimitives.ReadInt32LittleEndian(linux[(at + 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(linux[(at + 12)..]);
            if (len < CmsgHeader || at + len > linux.Length) break;
            var data = linux.Slice(at + CmsgHeader, len - CmsgHeader);
            int size = 0, wlevel = 0;
            IPAddress? destination = null;
            if (level == 0 && type == LinuxIpPktInfo && data.Length >= 12)
            {
                // struct in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr; } → IN_PKTINFO { ipi_addr; ipi_ifindex; }
                size = 8;
                data.Slice(8, 4).CopyTo(info);
                data[..4].CopyTo(info[4..]);
                wlevel = Ws2Spi.IPPROTO_IP;
                destination = new IPAddress(data.Slice(8, 4));
            }
            else if (level == LinuxIpprotoIpv6 && type == LinuxIpv6PktInfo && data.Length >= 20)
            {
                // struct in6_pktinfo { in6_addr ipi6_addr; int ipi6_ifindex; } has IN6_PKTINFO's layout.
                size = 20;
                data[..20].CopyTo(info);
                wlevel = Ws2Spi.IPPROTO_IPV6;
                destination = new IPAddress(data[..16]);
            }
            if (size > 0)
            {
                int space = CmsgHeader + ((size + 7) & ~7);
                if (written + CmsgHeader + size > control.Length) flags |= (uint)Ws2Spi.MSG_CTRUNC;
                else
                {
                    var rec = control[written..];
                    BinaryPrimitives.WriteUInt64LittleEndian(rec, (ulong)(CmsgHeader + size));
                    BinaryPrimitives.WriteInt32LittleEndian(rec[8..], wlevel);
                    BinaryPrimitives.WriteInt32LittleEndian(rec[12..], Ws2Spi.IP_PKTINFO);
                    info[..size].CopyTo(rec[CmsgHeader..]);
                    written = Math.Min(control.Length, written + space);
                }
                if (destination is not null)
                {
                    if (destination.IsIPv6Multicast || (destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                        && (destination.GetAddressBytes()[0] & 0xF0) == 0xE0)) flags |= (uint)Ws2Spi.MSG_MCAST;
                    else if (destination.Equals(IPAddress.Broadcast)) flags |= (uint)Ws2Spi.MSG_BCAST;
                }
            }
            at += (len + 7) & ~7;
        }
        if ((linuxFlags & 0x8) != 0) flags |= (uint)Ws2Spi.MSG_CTRUNC; // the kernel cut its own control data (Linux MSG_CTRUNC)
        return written;
    }

    /// <summary>IP_PKTINFO / IPV6_PKTINFO (under the lock): a 4-byte BOOL; the kernel then gives every datagram its packet information.</summary>
    private int SetPacketInfo(byte[]? optval, int optlen)
    {
        if (optval is null || optlen < 4) return Ws2Spi.WSAEFAULT;
        if (IsStream) return Ws2Spi.WSAEINVAL;
        Span<byte> on = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(on, BinaryPrimitives.ReadInt32LittleEndian(optval) != 0 ? 1 : 0);
        int rc = Family == Ws2Spi.AF_INET6
            ? SocketCalls.SetSockOpt(_handle, LinuxIpprotoIpv6, LinuxIpv6RecvPktInfo, on, out int err)
            : SocketCalls.SetSockOpt(_handle, 0, LinuxIpPktInfo, on, out err);
        return rc == 0 ? 0 : Errno.ToWinsock(err);
    }
}
