using System.Buffers.Binary;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

internal sealed partial class InetSocket
{
    public int GetOption(int level, int optname, byte[] optval, ref int optlen)
    {
        if (optval is null || optlen < 0 || optlen > optval.Length) return Ws2Spi.WSAEFAULT;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            try
            {
                if (level == Ws2Spi.SOL_SOCKET)
                {
                    switch (optname)
                    {
                        case Ws2Spi.SO_PROTOCOL_INFOW:
                            if (optlen < WSAPROTOCOL_INFOW.Size) return Ws2Spi.WSAEFAULT;
                            ProtocolInfoCodec.Write(Info, optval);
                            optlen = WSAPROTOCOL_INFOW.Size;
                            return 0;
                        case Ws2Spi.SO_LINGER:
                            if (IsDatagram) return Ws2Spi.WSAENOPROTOOPT; // as Windows (Wine's test_extendedSocketOptions)
                            if (optlen < 4) return Ws2Spi.WSAEFAULT;
                            var lo = _os.LingerState ?? new LingerOption(false, 0);
                            BinaryPrimitives.WriteUInt16LittleEndian(optval, (ushort)(lo.Enabled ? 1 : 0));
                            BinaryPrimitives.WriteUInt16LittleEndian(optval.AsSpan(2), (ushort)lo.LingerTime);
                            optlen = 4;
                            return 0;
                    }
                }
                if (TryGetMulticastOption(level, optname, optval, ref optlen, out int mcError)) return mcError;
                int? value = ReadInt(level, optname, out int error);
                if (value is null) return error;
                if (optlen is > 0 and < 4 && TakesOneByte(level, optname))
                {
                    optval[0] = (byte)value.Value; // Windows answers a short buffer with one byte (Wine's test_set_getsockopt)
                    optlen = 1;
                    return 0;
                }
                if (optlen < 4) return Ws2Spi.WSAEFAULT;
                BinaryPrimitives.WriteInt32LittleEndian(optval, value.Value);
                optlen = 4;
                return 0;
            }
            catch (SocketException e) { return (int)e.SocketErrorCode; }
        }
    }

    private int? ReadInt(int level, int optname, out int error)
    {
        error = 0;
        if (level == Ws2Spi.SOL_SOCKET)
        {
            switch (optname)
            {
                case Ws2Spi.SO_TYPE: return Info.iSocketType;
                case Ws2Spi.SO_ACCEPTCONN: return _listening ? 1 : 0;
                case Ws2Spi.SO_ERROR:
                    int e = _pendingSoError;
                    _pendingSoError = 0;
                    if (e == 0) e = Errno.ToWinsock(SocketCalls.SocketError(_handle), IsDatagram);
                    // A failed connect keeps answering its error until the next attempt (Windows, as Wine's
                    // test_WSAPoll failed-connection block records: read twice, WSAECONNREFUSED twice).
                    if (e == 0 && _conn == ConnState.None && _connectError != 0) e = _connectError;
                    return e;
                // What the application set: the runtime turns Linux's SO_REUSEADDR on for every TCP bind.
                case Ws2Spi.SO_REUSEADDR: return ReuseAddressSet ? 1 : 0;
                case Ws2Spi.SO_KEEPALIVE: return (int)_os.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)! != 0 ? 1 : 0;
                case Ws2Spi.SO_BROADCAST when IsDatagram: return _os.EnableBroadcast ? 1 : 0;
                case Ws2Spi.SO_OOBINLINE when IsStream: return OobInline ? 1 : 0;
                case Ws2Spi.SO_DONTLINGER: return _os.LingerState is { Enabled: true } ? 0 : 1;
                case Ws2Spi.SO_RCVBUF: return RecvBufferSet >= 0 ? RecvBufferSet : _os.ReceiveBufferSize;
                case Ws2Spi.SO_SNDBUF: return SendBufferSet >= 0 ? SendBufferSet : _os.SendBufferSize;
                case Ws2Spi.SO_RCVTIMEO: return RecvTimeoutMs;
                case Ws2Spi.SO_SNDTIMEO: return SendTimeoutMs;
                case Ws2Spi.SO_MAX_MSG_SIZE: return (int)Info.dwMessageSize;
                case Ws2Spi.SO_CONDITIONAL_ACCEPT when IsStream: return ConditionalAccept ? 1 : 0;
            }
            error = Ws2Spi.WSAENOPROTOOPT;
            return null;
        }
        if (level == Ws2Spi.IPPROTO_TCP && IsStream && optname == Ws2Spi.TCP_NODELAY) return _os.NoDelay ? 1 : 0;
        if (level == Ws2Spi.IPPROTO_IP && optname == Ws2Spi.IP_TTL && Family == Ws2Spi.AF_INET) return _os.Ttl;
        error = level is Ws2Spi.IPPROTO_TCP or Ws2Spi.IPPROTO_UDP or Ws2Spi.IPPROTO_IP or Ws2Spi.IPPROTO_IPV6
            ? Ws2Spi.WSAENOPROTOOPT : Ws2Spi.WSAEINVAL;
        return null;
    }

    public int SetOption(int level, int optname, byte[]? optval, int optlen)
    {
        if (TrySetExtensionOption(level, optname, optval, optlen, out int extensionError)) return extensionError; // InetSocket.ConnectEx.cs
        if (optval is null || optlen < 0 || optlen > optval.Length) return Ws2Spi.WSAEFAULT;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            try
            {
                if (level == Ws2Spi.SOL_SOCKET && optname == Ws2Spi.SO_LINGER)
                {
                    if (optlen < 4) return Ws2Spi.WSAEFAULT;
                    ushort on = BinaryPrimitives.ReadUInt16LittleEndian(optval);
                    ushort secs = BinaryPrimitives.ReadUInt16LittleEndian(optval.AsSpan(2));
                    _os.LingerState = new LingerOption(on != 0, secs);
                    return 0;
                }
                if (TrySetMulticastOption(level, optname, optval, optlen, out int mcError)) return mcError;
                // Windows takes a BOOL socket-level option of length 0 (Wine's test_set_getsockopt); nothing is read.
                if (optlen == 0 && level == Ws2Spi.SOL_SOCKET && IsBoolSocketOption(optname)) return 0;
                if (optlen < 1) return Ws2Spi.WSAEFAULT;
                int v = optlen >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(optval) : optval[0];
                if (level == Ws2Spi.SOL_SOCKET)
                {
                    switch (optname)
                    {
                        case Ws2Spi.SO_REUSEADDR:
                            _os.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, v != 0);
                            ReuseAddressSet = v != 0;
                            return 0;
                        case Ws2Spi.SO_KEEPALIVE: // a BOOLEAN: one byte read, as TCP_NODELAY
                            _os.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, optval[0] != 0);
                            return 0;
                        case Ws2Spi.SO_BROADCAST when IsDatagram: _os.EnableBroadcast = v != 0; return 0;
                        case Ws2Spi.SO_OOBINLINE when IsStream:
                            _os.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.OutOfBandInline, v != 0);
                            OobInline = v != 0;
                            return 0;
                        case Ws2Spi.SO_DONTLINGER: _os.LingerState = new LingerOption(v == 0, _os.LingerState?.LingerTime ?? 0); return 0;
                        case Ws2Spi.SO_RCVBUF:
                            if (optlen < 4) return Ws2Spi.WSAEFAULT; // a DWORD, shorter refused (Wine's test_set_getsockopt)
                            if (v < 0) return Ws2Spi.WSAEINVAL;
                            _os.ReceiveBufferSize = Math.Max(v, 256);
                            RecvBufferSet = v;
                            return 0;
                        case Ws2Spi.SO_SNDBUF:
                            if (optlen < 4) return Ws2Spi.WSAEFAULT;
                            if (v < 0) return Ws2Spi.WSAEINVAL;
                            _os.SendBufferSize = Math.Max(v, 256);
                            SendBufferSet = v;
                            return 0;
                        case Ws2Spi.SO_RCVTIMEO when optlen < 4:
                        case Ws2Spi.SO_SNDTIMEO when optlen < 4:
                            return Ws2Spi.WSAEFAULT;
                        case Ws2Spi.SO_RCVTIMEO: RecvTimeoutMs = Math.Max(0, v); return 0;
                        case Ws2Spi.SO_SNDTIMEO: SendTimeoutMs = Math.Max(0, v); return 0;
                        case Ws2Spi.SO_ERROR:
                            // Windows accepts it (Wine's test_set_getsockopt): the value is what the next read reports.
                            _pendingSoError = v;
                            return 0;
                        case Ws2Spi.SO_CONDITIONAL_ACCEPT when IsStream:
                            if (_listening) return Ws2Spi.WSAEINVAL; // must be set before listen
                            ConditionalAccept = v != 0;
                            return 0;
                        case Ws2Spi.SO_TYPE or Ws2Spi.SO_ACCEPTCONN or Ws2Spi.SO_MAX_MSG_SIZE or Ws2Spi.SO_PROTOCOL_INFOW:
                            return Ws2Spi.WSAENOPROTOOPT; // read-only
                    }
                    return Ws2Spi.WSAENOPROTOOPT;
                }
                if (level == Ws2Spi.IPPROTO_IP && optname == Ws2Spi.IP_TTL && Family == Ws2Spi.AF_INET)
                {
                    if (v is < 0 or > 255) return Ws2Spi.WSAEINVAL; // as Windows (Wine's test_set_getsockopt)
                    _os.Ttl = (short)v;
                    return 0;
                }
                if (level == Ws2Spi.IPPROTO_TCP && IsStream && optname == Ws2Spi.TCP_NODELAY)
                {
                    _os.NoDelay = optval[0] != 0; // a BOOLEAN: Windows reads one byte (0x100 turns it off, Wine's test_set_getsockopt)
                    return 0;
                }
                return level is Ws2Spi.IPPROTO_TCP or Ws2Spi.IPPROTO_UDP or Ws2Spi.IPPROTO_IP or Ws2Spi.IPPROTO_IPV6
                    ? Ws2Spi.WSAENOPROTOOPT : Ws2Spi.WSAEINVAL;
            }
            catch (SocketException e) { return (int)e.SocketErrorCode; }
        }
    }

    /// <summary>
    /// WSPIoctl's TCP/UDP codes (under the lock, open socket; FIONBIO and FIONREAD are ImmediateIoctl's): SIOCATMARK,
    /// the QoS codes (unsupported), the multicast ones. Returns the error (0) and the output size.
    /// </summary>
    public int Ioctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        switch (code)
        {
            case Ws2Spi.SIOCATMARK:
                if (output is null || outLen < 4 || output.Length < 4) return Ws2Spi.WSAEFAULT;
                if (IsDatagram) return Ws2Spi.WSAEINVAL;
                // TRUE when no urgent data waits before the read pointer (Windows' sense, not BSD's).
                bool urgentPending = (SocketCalls.PollNow(_handle, Libc.POLLPRI) & Libc.POLLPRI) != 0;
                bool atMark = _urgentByte < 0 && (!urgentPending || SocketCalls.AtMark(_handle));
                return ImmediateIoctl.WriteULong(output, outLen, atMark ? 1u : 0u, out returned);
            case Ws2Spi.SIO_SET_QOS or Ws2Spi.SIO_GET_QOS or Ws2Spi.SIO_SET_GROUP_QOS or Ws2Spi.SIO_GET_GROUP_QOS:
                return Ws2Spi.WSAENOPROTOOPT; // no XP1_QOS_SUPPORTED on TCP/UDP
            default:
                return MulticastIoctl(code, input, inLen, output, outLen, out returned);
        }
    }

    /// <summary>FIONREAD: what the kernel holds for a receive (0 on a listening socket).</summary>
    public int BytesAvailable() => _listening ? 0 : SocketCalls.BytesAvailable(_handle);

    // WSPEventSelect / WSPAsyncSelect / WSPEnumNetworkEvents: EventSelection, on the lock that guards everything here.
    Lock IEventSelectable.Gate => Gate;

    /// <summary>The socket-level BOOL options a length of 0 may set (the ones this socket's type has).</summary>
    private bool IsBoolSocketOption(int optname) => optname switch
    {
        Ws2Spi.SO_REUSEADDR or Ws2Spi.SO_DONTLINGER => true,
        Ws2Spi.SO_BROADCAST => IsDatagram,
        Ws2Spi.SO_OOBINLINE => IsStream,
        _ => false,
    };

    /// <summary>The options Windows reads into a buffer shorter than 4 bytes as one byte (BOOL, BOOLEAN and TTL options).</summary>
    private static bool TakesOneByte(int level, int optname) => level switch
    {
        Ws2Spi.SOL_SOCKET => optname is Ws2Spi.SO_BROADCAST or Ws2Spi.SO_DONTLINGER or Ws2Spi.SO_OOBINLINE or Ws2Spi.SO_KEEPALIVE or Ws2Spi.SO_REUSEADDR,
        Ws2Spi.IPPROTO_TCP => optname == Ws2Spi.TCP_NODELAY,
        Ws2Spi.IPPROTO_IP => optname == Ws2Spi.IP_TTL,
        _ => false,
    };
}
