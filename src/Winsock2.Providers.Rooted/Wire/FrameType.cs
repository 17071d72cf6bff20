namespace Winsock2.Providers.Rooted.Wire;

/// <summary>Frame types of the rooted multipoint wire protocol (docs/protocol.md).</summary>
internal enum FrameType : byte
{
    JoinRequest = 0x01,
    JoinAccept = 0x02,
    JoinReject = 0x03,
    QosUpdate = 0x04,
    Heartbeat = 0x05,
    Leave = 0x06,
    Data = 0x10,
    DataMore = 0x11,
}

/// <summary>The frame header: magic "WM", version, type, payload length (big-endian). 8 bytes.</summary>
internal static class Frame
{
    public const byte Magic0 = 0x57, Magic1 = 0x4D, Version = 1;
    public const int HeaderSize = 8;
    /// <summary>Largest payload of a join-phase or control frame.</summary>
    public const int MaxControlPayload = 16 * 1024;

    public static void WriteHeader(Span<byte> into, FrameType type, int payloadLength)
    {
        into[0] = Magic0;
        into[1] = Magic1;
        into[2] = Version;
        into[3] = (byte)type;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(into[4..], payloadLength);
    }

    /// <summary>A whole frame: header and payload.</summary>
    public static byte[] Make(FrameType type, ReadOnlySpan<byte> payload)
    {
        var b = new byte[HeaderSize + payload.Length];
        WriteHeader(b, type, payload.Length);
        payload.CopyTo(b.AsSpan(HeaderSize));
        return b;
    }

    /// <summary>The bound on a frame type's payload, checked before anything is allocated.</summary>
    public static int MaxPayload(FrameType type, int maxMessage) => type switch
    {
        FrameType.Data or FrameType.DataMore => maxMessage,
        FrameType.Heartbeat or FrameType.Leave => 0,
        FrameType.JoinReject => 4,
        FrameType.QosUpdate => QosWire.Size,
        FrameType.JoinRequest or FrameType.JoinAccept => MaxControlPayload,
        _ => -1,
    };
}
