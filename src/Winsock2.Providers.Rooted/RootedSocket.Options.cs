using System.Buffers.Binary;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>WSPIoctl, WSPGetSockOpt and WSPSetSockOpt on a rooted socket (SOL_SOCKET and SOL_MULTIPOINT).</summary>
internal abstract partial class RootedSocket
{
    /// <summary>WSPIoctl's rooted codes (under the lock, open socket; FIONBIO and FIONREAD are ImmediateIoctl's): the QoS ones.</summary>
    public int Ioctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        switch (code)
        {
            case Ws2Spi.SIO_SET_QOS:
                var q = QosBuffer.FromBytes(input, inLen);
                if (q is null) return Ws2Spi.WSAEFAULT;
                if (!Flowspecs.IsValid(q, JoinFlags)) return Ws2Spi.WSAEOPNOTSUPP;
                if (!Joined) { Qos = q; return 0; }
                return ChangeQos(q);
            case Ws2Spi.SIO_GET_QOS:
                Events.Reenable(Ws2Spi.FD_QOS);
                if (!Joined && Qos is null) return Ws2Spi.WSAENOTCONN; // a sender may not ask before it is connected
                var bytes = QosBuffer.ToBytes(Qos ?? new QOS { SendingFlowspec = FLOWSPEC.NotSpecified(), ReceivingFlowspec = FLOWSPEC.NotSpecified() });
                if (output is null || outLen < bytes.Length) return Ws2Spi.WSAEFAULT;
                bytes.CopyTo(output, 0);
                returned = (uint)bytes.Length;
                return 0;
            case Ws2Spi.SIO_SET_GROUP_QOS or Ws2Spi.SIO_GET_GROUP_QOS:
                return Ws2Spi.WSAEOPNOTSUPP; // socket groups are reserved
            case Ws2Spi.SIOCATMARK:
                return Ws2Spi.WSAEINVAL; // no urgent data on a message protocol
            default:
                return Ws2Spi.WSAEINVAL;
        }
    }

    public int GetOption(int level, int optname, byte[] optval, ref int optlen)
    {
        if (optval is null || optlen < 0 || optlen > optval.Length) return Ws2Spi.WSAEFAULT;
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (level == Ws2Spi.SOL_SOCKET && optname == Ws2Spi.SO_PROTOCOL_INFOW)
            {
                if (optlen < WSAPROTOCOL_INFOW.Size) return Ws2Spi.WSAEFAULT;
                ProtocolInfoCodec.Write(Info, optval);
                optlen = WSAPROTOCOL_INFOW.Size;
                return 0;
            }
            int? v = level switch
            {
                Ws2Spi.SOL_SOCKET => optname switch
                {
                    Ws2Spi.SO_TYPE => Info.iSocketType,
                    Ws2Spi.SO_ACCEPTCONN => Listening ? 1 : 0,
                    Ws2Spi.SO_ERROR => TakeSocketError(),
                    Ws2Spi.SO_REUSEADDR => ReuseAddress ? 1 : 0,
                    Ws2Spi.SO_RCVTIMEO => RecvTimeoutMs,
                    Ws2Spi.SO_SNDTIMEO => SendTimeoutMs,
                    Ws2Spi.SO_MAX_MSG_SIZE => (int)Info.dwMessageSize,
                    Ws2Spi.SO_RCVBUF => Options.ReceiveBuffer,
                    _ => null,
                },
                Ws2Spi.SOL_MULTIPOINT => optname switch
                {
                    Ws2Spi.MP_ADMISSION_CAPACITY => (int)Options.AdmissionCapacity,
                    Ws2Spi.MP_JOIN_TIMEOUT => Options.JoinTimeoutMs,
                    Ws2Spi.MP_HEARTBEAT_INTERVAL => Options.HeartbeatMs,
                    Ws2Spi.MP_SLOW_LEAF_POLICY => Options.SlowLeafPolicy,
                    Ws2Spi.MP_LEAF_QUEUE_LIMIT => Options.LeafQueueLimit,
                    Ws2Spi.MP_ADMISSION_AVAILABLE => (int)Math.Min(int.MaxValue, AdmissionAvailable()),
                    _ => null,
                },
                _ => null,
            };
            if (v is null) return level is Ws2Spi.SOL_SOCKET or Ws2Spi.SOL_MULTIPOINT ? Ws2Spi.WSAENOPROTOOPT : Ws2Spi.WSAEINVAL;
            if (optlen < 4) return Ws2Spi.WSAEFAULT;
            BinaryPrimitives.WriteInt32LittleEndian(optval, v.Value);
            optlen = 4;
            return 0;
        }
    }

    /// <summary>SO_ERROR's value; reading it clears it.</summary>
    private int TakeSocketError()
    {
        int e = SocketError;
        SocketError = 0;
        return e;
    }

    /// <summary>Admission capacity not yet reserved (the root's; others report their own capacity).</summary>
    protected virtual ulong AdmissionAvailable() => Options.AdmissionCapacity;

    public int SetOption(int level, int optname, byte[]? optval, int optlen)
    {
        if (optval is null || optlen < 4 || optlen > optval.Length) return Ws2Spi.WSAEFAULT;
        int v = BinaryPrimitives.ReadInt32LittleEndian(optval);
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (level == Ws2Spi.SOL_SOCKET)
            {
                switch (optname)
                {
                    case Ws2Spi.SO_RCVTIMEO: RecvTimeoutMs = Math.Max(0, v); return 0;
                    case Ws2Spi.SO_SNDTIMEO: SendTimeoutMs = Math.Max(0, v); return 0;
                    case Ws2Spi.SO_REUSEADDR: ReuseAddress = v != 0; return 0;
                    case Ws2Spi.SO_RCVBUF: return SetReceiveBuffer(v);
                    default: return Ws2Spi.WSAENOPROTOOPT;
                }
            }
            if (level != Ws2Spi.SOL_MULTIPOINT) return Ws2Spi.WSAEINVAL;
            switch (optname)
            {
                case Ws2Spi.MP_ADMISSION_CAPACITY when v >= 0: Options.AdmissionCapacity = (uint)v; return 0;
                case Ws2Spi.MP_JOIN_TIMEOUT when v > 0: Options.JoinTimeoutMs = v; return 0;
                case Ws2Spi.MP_HEARTBEAT_INTERVAL when v >= 0: Options.HeartbeatMs = v; return 0;
                case Ws2Spi.MP_SLOW_LEAF_POLICY when v is Ws2Spi.MP_POLICY_BACKPRESSURE or Ws2Spi.MP_POLICY_EVICT: Options.SlowLeafPolicy = v; return 0;
                case Ws2Spi.MP_LEAF_QUEUE_LIMIT when v >= RootedLimits.ChunkSize: Options.LeafQueueLimit = v; return 0;
                case Ws2Spi.MP_ADMISSION_CAPACITY or Ws2Spi.MP_JOIN_TIMEOUT or Ws2Spi.MP_HEARTBEAT_INTERVAL
                    or Ws2Spi.MP_SLOW_LEAF_POLICY or Ws2Spi.MP_LEAF_QUEUE_LIMIT:
                    return Ws2Spi.WSAEINVAL;
                default:
                    return Ws2Spi.WSAENOPROTOOPT;
            }
        }
    }
}
