using System.Text;
using static Winsock2.Ws2Spi;

namespace Winsock2.Providers.Tracing;

/// <summary>
/// How arguments and results look in a trace line. Every function is total: bad input (a length past the buffer, a
/// null array) is shown as such and never throws, because formatting runs around the caller's real call.
/// </summary>
internal static class TraceFormat
{
    /// <summary>At most this many bytes of payload are shown, in hex.</summary>
    public const int PayloadBytes = 16;

    /// <summary>At most this many buffer lengths are listed.</summary>
    private const int ListedBuffers = 8;

    public static string H(SOCKET s) => s.ToString();

    public static string YesNo(bool b) => b ? "yes" : "no";

    public static string Hex(uint v) => $"0x{v:X}";

    /// <summary>A sockaddr: <c>127.0.0.1:80</c>, <c>[::1]:80</c>, <c>null</c>, or <c>af=N len=M</c> for anything else.</summary>
    public static string Addr(byte[]? name, int namelen)
    {
        try
        {
            if (name is null) return "null";
            int len = Math.Min(namelen, name.Length);
            if (SockAddr.TryParse(name, len, out var ep) == 0 && ep is not null)
                return ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : $"{ep.Address}:{ep.Port}";
            return $"af={SockAddr.Family(name.AsSpan(0, Math.Max(0, len)))} len={namelen}";
        }
        catch (Exception) { return $"? len={namelen}"; }
    }

    /// <summary>Buffer count and lengths: <c>2[1024,512]</c>.</summary>
    public static string Bufs(WSABUF[]? buffers, uint count)
    {
        try
        {
            if (buffers is null) return $"{count}[null]";
            var sb = new StringBuilder().Append(count).Append('[');
            int n = (int)Math.Min(count, (uint)buffers.Length);
            for (int i = 0; i < n && i < ListedBuffers; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(buffers[i] is { } b ? b.len.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null");
            }
            if (n > ListedBuffers) sb.Append(",…");
            return sb.Append(']').ToString();
        }
        catch (Exception) { return $"{count}[?]"; }
    }

    /// <summary>The first bytes (at most <see cref="PayloadBytes"/>, and at most <paramref name="total"/>) of the buffers, in hex.</summary>
    public static string Data(WSABUF[]? buffers, uint count, long total)
    {
        try
        {
            if (buffers is null || total <= 0) return "";
            var sb = new StringBuilder();
            int shown = 0;
            long limit = Math.Min(total, PayloadBytes);
            for (int i = 0; i < count && i < buffers.Length && shown < limit; i++)
            {
                var b = buffers[i];
                if (b?.buf is null || b.offset < 0 || b.offset > b.buf.Length) continue;
                int take = (int)Math.Min(Math.Min(b.len, (uint)(b.buf.Length - b.offset)), (uint)(limit - shown));
                foreach (byte x in b.buf.AsSpan(b.offset, take)) sb.Append(x.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                shown += take;
            }
            if (sb.Length == 0) return "";
            return total > shown ? $" data={sb}…" : $" data={sb}";
        }
        catch (Exception) { return ""; }
    }

    /// <summary>Total length of the buffers the call names (capped per buffer at its array).</summary>
    public static long Total(WSABUF[]? buffers, uint count)
    {
        long sum = 0;
        if (buffers is null) return 0;
        for (int i = 0; i < count && i < buffers.Length; i++) sum += buffers[i]?.len ?? 0;
        return sum;
    }

    /// <summary>A WSABUF of connect or disconnect data: <c>null</c> or <c>len=N</c>.</summary>
    public static string Buf(WSABUF? b) => b is null ? "null" : $"len={b.len}";

    public static string Ov(WSAOVERLAPPED? ov, Delegate? routine) =>
        ov is null ? "no" : routine is not null ? "routine" : ov.hEvent.IsValid ? $"event=0x{ov.hEvent.Value:X}" : "yes";

    public static string Qos(QOS? q) =>
        q is null ? "null" : $"{{send={q.SendingFlowspec.ServiceType}/{q.SendingFlowspec.TokenRate} recv={q.ReceivingFlowspec.ServiceType}/{q.ReceivingFlowspec.TokenRate}}}";

    public static string Timeout(timeval? t) => t is null ? "inf" : $"{t.tv_sec}.{t.tv_usec:D6}s";

    public static string Chain(WSAPROTOCOL_INFOW? info)
    {
        try
        {
            if (info is null) return "null";
            var c = info.ProtocolChain;
            var ids = c.ChainEntries is null ? "" : string.Join(",", c.ChainEntries.Take(Math.Clamp(c.ChainLen, 0, MAX_PROTOCOL_CHAIN)));
            return $"entry={info.dwCatalogEntryId} chain=[{ids}] \"{info.szProtocol}\"";
        }
        catch (Exception) { return "?"; }
    }

    /// <summary>The handles in a set: <c>[0x104,0x108]</c>; <c>null</c> for no set.</summary>
    public static string Set(fd_set? set)
    {
        try
        {
            if (set is null) return "null";
            var n = (int)Math.Min(set.fd_count, (uint)set.fd_array.Length);
            return "[" + string.Join(",", set.fd_array.Take(n).Select(H)) + "]";
        }
        catch (Exception) { return "?"; }
    }

    // ---- results ----

    /// <summary><c>= 0</c>, <c>= N</c>, or <c>= SOCKET_ERROR NAME(code)</c>.</summary>
    public static string Rc(int rc, int errno) => rc == SOCKET_ERROR ? $"= SOCKET_ERROR {ErrorNames.Format(errno)}" : $"= {rc}";

    /// <summary><c>= 0x10C</c> or <c>= INVALID_SOCKET NAME(code)</c>.</summary>
    public static string Sock(SOCKET s, int errno) => s.IsValid ? $"= {H(s)}" : $"= INVALID_SOCKET {ErrorNames.Format(errno)}";

    /// <summary><c>= TRUE</c> or <c>= FALSE NAME(code)</c>.</summary>
    public static string Bool(bool ok, int errno) => ok ? "= TRUE" : $"= FALSE {ErrorNames.Format(errno)}";

    // ---- named values ----

    public static string Af(int af) => af switch
    {
        AF_UNSPEC => "AF_UNSPEC", AF_INET => "AF_INET", AF_INET6 => "AF_INET6", FROM_PROTOCOL_INFO => "FROM_PROTOCOL_INFO",
        _ => af.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Type(int type) => type switch
    {
        SOCK_STREAM => "SOCK_STREAM", SOCK_DGRAM => "SOCK_DGRAM", SOCK_RAW => "SOCK_RAW", SOCK_RDM => "SOCK_RDM",
        SOCK_SEQPACKET => "SOCK_SEQPACKET", FROM_PROTOCOL_INFO => "FROM_PROTOCOL_INFO",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Proto(int p) => p switch
    {
        IPPROTO_TCP => "IPPROTO_TCP", IPPROTO_UDP => "IPPROTO_UDP", IPPROTO_RM_TCP => "IPPROTO_RM_TCP",
        IPPROTO_RM_TCP_NONROOTED_DATA => "IPPROTO_RM_TCP_NONROOTED_DATA", FROM_PROTOCOL_INFO => "FROM_PROTOCOL_INFO",
        _ => p.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static readonly (uint Bit, string Name)[] MsgFlags =
        [(MSG_OOB, "MSG_OOB"), (MSG_PEEK, "MSG_PEEK"), (MSG_DONTROUTE, "MSG_DONTROUTE"), (MSG_WAITALL, "MSG_WAITALL"), (MSG_PARTIAL, "MSG_PARTIAL")];

    private static readonly (uint Bit, string Name)[] SocketFlags =
    [
        (WSA_FLAG_OVERLAPPED, "WSA_FLAG_OVERLAPPED"), (WSA_FLAG_MULTIPOINT_C_ROOT, "C_ROOT"), (WSA_FLAG_MULTIPOINT_C_LEAF, "C_LEAF"),
        (WSA_FLAG_MULTIPOINT_D_ROOT, "D_ROOT"), (WSA_FLAG_MULTIPOINT_D_LEAF, "D_LEAF"),
    ];

    private static readonly (uint Bit, string Name)[] JoinFlags =
        [(JL_SENDER_ONLY, "JL_SENDER_ONLY"), (JL_RECEIVER_ONLY, "JL_RECEIVER_ONLY"), (JL_BOTH, "JL_BOTH")];

    private static readonly (uint Bit, string Name)[] EventBits =
    [
        (FD_READ, "FD_READ"), (FD_WRITE, "FD_WRITE"), (FD_OOB, "FD_OOB"), (FD_ACCEPT, "FD_ACCEPT"), (FD_CONNECT, "FD_CONNECT"),
        (FD_CLOSE, "FD_CLOSE"), (FD_QOS, "FD_QOS"), (FD_GROUP_QOS, "FD_GROUP_QOS"),
        (FD_ROUTING_INTERFACE_CHANGE, "FD_ROUTING_INTERFACE_CHANGE"), (FD_ADDRESS_LIST_CHANGE, "FD_ADDRESS_LIST_CHANGE"),
    ];

    /// <summary>Message flags: <c>0</c>, <c>MSG_PEEK|MSG_OOB</c>, unknown bits in hex.</summary>
    public static string Msg(uint flags) => Bits(flags, MsgFlags);

    public static string SockFlags(uint flags) => Bits(flags, SocketFlags);

    public static string Join(uint flags) => Bits(flags, JoinFlags);

    public static string Events(int events) => Bits((uint)events, EventBits);

    private static string Bits(uint value, (uint Bit, string Name)[] names)
    {
        if (value == 0) return "0";
        var parts = new List<string>();
        foreach (var (bit, name) in names)
            if ((value & bit) == bit && bit != 0) { parts.Add(name); value &= ~bit; }
        if (value != 0) parts.Add(Hex(value));
        return string.Join("|", parts);
    }

    /// <summary>A WSANETWORKEVENTS record: the events and, for each, its error when nonzero.</summary>
    public static string NetworkEvents(WSANETWORKEVENTS? rec)
    {
        try
        {
            if (rec is null) return "null";
            var sb = new StringBuilder(Events(rec.lNetworkEvents));
            for (int bit = 0; bit < FD_MAX_EVENTS && bit < rec.iErrorCode.Length; bit++)
                if ((rec.lNetworkEvents & (1 << bit)) != 0 && rec.iErrorCode[bit] != 0)
                    sb.Append(' ').Append(Events(1 << bit)).Append('=').Append(ErrorNames.Format(rec.iErrorCode[bit]));
            return sb.ToString();
        }
        catch (Exception) { return "?"; }
    }

    public static string How(int how) => how switch { SD_RECEIVE => "SD_RECEIVE", SD_SEND => "SD_SEND", SD_BOTH => "SD_BOTH", _ => $"{how}" };

    public static string Ioctl(uint code) => code switch
    {
        FIONBIO => "FIONBIO", FIONREAD => "FIONREAD", SIOCATMARK => "SIOCATMARK", SIO_FLUSH => "SIO_FLUSH",
        SIO_MULTIPOINT_LOOPBACK => "SIO_MULTIPOINT_LOOPBACK", SIO_MULTICAST_SCOPE => "SIO_MULTICAST_SCOPE",
        SIO_SET_QOS => "SIO_SET_QOS", SIO_SET_GROUP_QOS => "SIO_SET_GROUP_QOS", SIO_GET_QOS => "SIO_GET_QOS",
        SIO_GET_GROUP_QOS => "SIO_GET_GROUP_QOS", SIO_ROUTING_INTERFACE_CHANGE => "SIO_ROUTING_INTERFACE_CHANGE",
        SIO_ADDRESS_LIST_CHANGE => "SIO_ADDRESS_LIST_CHANGE", SIO_JOINLEAF_SOURCE => "SIO_JOINLEAF_SOURCE",
        _ => Hex(code),
    };

    public static string Level(int level) => level switch
    {
        SOL_SOCKET => "SOL_SOCKET", IPPROTO_TCP => "IPPROTO_TCP", IPPROTO_IP => "IPPROTO_IP", IPPROTO_IPV6 => "IPPROTO_IPV6",
        IPPROTO_UDP => "IPPROTO_UDP", SOL_MULTIPOINT => "SOL_MULTIPOINT", _ => $"0x{level:X}",
    };

    public static string Option(int level, int name) => (level, name) switch
    {
        (SOL_SOCKET, SO_DEBUG) => "SO_DEBUG", (SOL_SOCKET, SO_ACCEPTCONN) => "SO_ACCEPTCONN",
        (SOL_SOCKET, SO_REUSEADDR) => "SO_REUSEADDR", (SOL_SOCKET, SO_KEEPALIVE) => "SO_KEEPALIVE",
        (SOL_SOCKET, SO_DONTROUTE) => "SO_DONTROUTE", (SOL_SOCKET, SO_BROADCAST) => "SO_BROADCAST",
        (SOL_SOCKET, SO_LINGER) => "SO_LINGER", (SOL_SOCKET, SO_OOBINLINE) => "SO_OOBINLINE",
        (SOL_SOCKET, SO_DONTLINGER) => "SO_DONTLINGER", (SOL_SOCKET, SO_EXCLUSIVEADDRUSE) => "SO_EXCLUSIVEADDRUSE",
        (SOL_SOCKET, SO_SNDBUF) => "SO_SNDBUF", (SOL_SOCKET, SO_RCVBUF) => "SO_RCVBUF",
        (SOL_SOCKET, SO_SNDLOWAT) => "SO_SNDLOWAT", (SOL_SOCKET, SO_RCVLOWAT) => "SO_RCVLOWAT",
        (SOL_SOCKET, SO_SNDTIMEO) => "SO_SNDTIMEO", (SOL_SOCKET, SO_RCVTIMEO) => "SO_RCVTIMEO",
        (SOL_SOCKET, SO_ERROR) => "SO_ERROR", (SOL_SOCKET, SO_TYPE) => "SO_TYPE",
        (SOL_SOCKET, SO_GROUP_ID) => "SO_GROUP_ID", (SOL_SOCKET, SO_GROUP_PRIORITY) => "SO_GROUP_PRIORITY",
        (SOL_SOCKET, SO_MAX_MSG_SIZE) => "SO_MAX_MSG_SIZE", (SOL_SOCKET, SO_PROTOCOL_INFOA) => "SO_PROTOCOL_INFOA",
        (SOL_SOCKET, SO_PROTOCOL_INFOW) => "SO_PROTOCOL_INFOW", (SOL_SOCKET, SO_CONDITIONAL_ACCEPT) => "SO_CONDITIONAL_ACCEPT",
        (IPPROTO_TCP, TCP_NODELAY) => "TCP_NODELAY",
        (IPPROTO_IP, IP_TTL) => "IP_TTL", (IPPROTO_IP, IP_TOS) => "IP_TOS", (IPPROTO_IP, IP_MULTICAST_IF) => "IP_MULTICAST_IF",
        (IPPROTO_IP, IP_MULTICAST_TTL) => "IP_MULTICAST_TTL", (IPPROTO_IP, IP_MULTICAST_LOOP) => "IP_MULTICAST_LOOP",
        (IPPROTO_IP, IP_ADD_MEMBERSHIP) => "IP_ADD_MEMBERSHIP", (IPPROTO_IP, IP_DROP_MEMBERSHIP) => "IP_DROP_MEMBERSHIP",
        (IPPROTO_IPV6, IPV6_MULTICAST_IF) => "IPV6_MULTICAST_IF", (IPPROTO_IPV6, IPV6_MULTICAST_HOPS) => "IPV6_MULTICAST_HOPS",
        (IPPROTO_IPV6, IPV6_MULTICAST_LOOP) => "IPV6_MULTICAST_LOOP",
        (IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP) => "IPV6_ADD_MEMBERSHIP", (IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP) => "IPV6_DROP_MEMBERSHIP",
        (IPPROTO_IP or IPPROTO_IPV6, MCAST_JOIN_GROUP) => "MCAST_JOIN_GROUP",
        (IPPROTO_IP or IPPROTO_IPV6, MCAST_LEAVE_GROUP) => "MCAST_LEAVE_GROUP",
        (IPPROTO_IP or IPPROTO_IPV6, MCAST_JOIN_SOURCE_GROUP) => "MCAST_JOIN_SOURCE_GROUP",
        (IPPROTO_IP or IPPROTO_IPV6, MCAST_LEAVE_SOURCE_GROUP) => "MCAST_LEAVE_SOURCE_GROUP",
        (SOL_MULTIPOINT, MP_ADMISSION_CAPACITY) => "MP_ADMISSION_CAPACITY", (SOL_MULTIPOINT, MP_JOIN_TIMEOUT) => "MP_JOIN_TIMEOUT",
        (SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL) => "MP_HEARTBEAT_INTERVAL", (SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY) => "MP_SLOW_LEAF_POLICY",
        (SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT) => "MP_LEAF_QUEUE_LIMIT", (SOL_MULTIPOINT, MP_ADMISSION_AVAILABLE) => "MP_ADMISSION_AVAILABLE",
        _ => $"0x{name:X}",
    };

    /// <summary>An option value: the integer for a 4-byte value, else its length.</summary>
    public static string OptVal(byte[]? optval, int optlen)
    {
        if (optval is null) return "null";
        if (optlen == 4 && optval.Length >= 4) return BitConverter.ToInt32(optval, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"len={optlen}";
    }

    /// <summary>An ioctl buffer: <c>null</c>, the integer for 4 bytes, else its length.</summary>
    public static string IoBuf(byte[]? b, uint len)
    {
        if (b is null) return "null";
        if (len == 4 && b.Length >= 4) return BitConverter.ToUInt32(b, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"len={len}";
    }
}
