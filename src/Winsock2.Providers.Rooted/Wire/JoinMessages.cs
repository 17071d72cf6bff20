using System.Buffers.Binary;

namespace Winsock2.Providers.Rooted.Wire;

/// <summary>Who started a join: the leaf (to a listening c_root) or the root (inviting a listening c_leaf).</summary>
internal enum JoinDirection : byte { LeafInitiated = 1, RootInitiated = 2 }

/// <summary>JOIN_REQUEST: direction, JL_ flags, caller data, optional flowspecs.</summary>
internal sealed record JoinRequest(JoinDirection Direction, uint Flags, byte[] CallerData, QOS? Qos)
{
    public byte[] Encode()
    {
        var b = new byte[1 + 4 + 2 + CallerData.Length + 1 + (Qos is null ? 0 : QosWire.Size)];
        b[0] = (byte)Direction;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(1), Flags);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(5), (ushort)CallerData.Length);
        CallerData.CopyTo(b, 7);
        int o = 7 + CallerData.Length;
        b[o] = (byte)(Qos is null ? 0 : 1);
        if (Qos is not null) QosWire.Write(Qos, b.AsSpan(o + 1));
        return Frame.Make(FrameType.JoinRequest, b);
    }

    /// <summary>Parses a payload; null when malformed (lengths are checked against what is there).</summary>
    public static JoinRequest? Decode(byte[] p)
    {
        if (p.Length < 8) return null;
        var dir = (JoinDirection)p[0];
        if (dir is not (JoinDirection.LeafInitiated or JoinDirection.RootInitiated)) return null;
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(1));
        int len = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(5));
        if (len > RootedLimits.MaxConnectData || 7 + len + 1 > p.Length) return null;
        var data = p.AsSpan(7, len).ToArray();
        int o = 7 + len;
        QOS? qos = null;
        if (p[o] == 1)
        {
            if (o + 1 + QosWire.Size != p.Length) return null;
            qos = QosWire.Read(p.AsSpan(o + 1));
        }
        else if (p[o] != 0 || o + 1 != p.Length) return null;
        return new JoinRequest(dir, flags, data, qos);
    }
}

/// <summary>JOIN_ACCEPT: callee data and the granted flowspecs.</summary>
internal sealed record JoinAccept(byte[] CalleeData, QOS? Granted)
{
    public byte[] Encode()
    {
        var b = new byte[2 + CalleeData.Length + 1 + (Granted is null ? 0 : QosWire.Size)];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)CalleeData.Length);
        CalleeData.CopyTo(b, 2);
        int o = 2 + CalleeData.Length;
        b[o] = (byte)(Granted is null ? 0 : 1);
        if (Granted is not null) QosWire.Write(Granted, b.AsSpan(o + 1));
        return Frame.Make(FrameType.JoinAccept, b);
    }

    public static JoinAccept? Decode(byte[] p)
    {
        if (p.Length < 3) return null;
        int len = BinaryPrimitives.ReadUInt16BigEndian(p);
        if (len > RootedLimits.MaxConnectData || 2 + len + 1 > p.Length) return null;
        var data = p.AsSpan(2, len).ToArray();
        int o = 2 + len;
        QOS? qos = null;
        if (p[o] == 1)
        {
            if (o + 1 + QosWire.Size != p.Length) return null;
            qos = QosWire.Read(p.AsSpan(o + 1));
        }
        else if (p[o] != 0 || o + 1 != p.Length) return null;
        return new JoinAccept(data, qos);
    }
}

/// <summary>JOIN_REJECT carries the Winsock error the joiner reports.</summary>
internal static class JoinReject
{
    public static byte[] Encode(int error)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, error);
        return Frame.Make(FrameType.JoinReject, b);
    }

    public static int Decode(byte[] p) => p.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(p) : Ws2Spi.WSAECONNABORTED;
}
