using System.Buffers.Binary;

namespace Winsock2;

/// <summary>
/// QOS as WSAIoctl's SIO_SET_QOS / SIO_GET_QOS buffers carry it: sending and receiving flowspecs (8 little-endian u32
/// each), then the provider-specific length and bytes. The API layer, providers and applications share this codec.
/// </summary>
public static class QosBuffer
{
    /// <summary>Bytes before the provider-specific part.</summary>
    public const int FixedSize = 68;

    /// <summary>The ioctl buffer for a QOS.</summary>
    public static byte[] ToBytes(QOS q)
    {
        int start = Math.Max(0, q.ProviderSpecific.offset);
        int extra = (int)Math.Min(q.ProviderSpecific.len, (uint)Math.Max(0, (q.ProviderSpecific.buf?.Length ?? 0) - start));
        var b = new byte[FixedSize + extra];
        Write(q.SendingFlowspec, b.AsSpan(0));
        Write(q.ReceivingFlowspec, b.AsSpan(32));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(64), (uint)extra);
        if (extra > 0) q.ProviderSpecific.buf.AsSpan(start, extra).CopyTo(b.AsSpan(FixedSize));
        return b;
    }

    /// <summary>A QOS from an ioctl buffer, or null if the buffer is too short or inconsistent.</summary>
    public static QOS? FromBytes(byte[]? buffer, int length) => length < 0 ? null : FromBytes(buffer, (uint)length);

    /// <summary>A QOS from an ioctl buffer, or null if the buffer is too short or inconsistent.</summary>
    public static QOS? FromBytes(byte[]? b, uint length)
    {
        if (b is null || length < FixedSize || length > b.Length) return null;
        uint extra = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(64));
        if (extra > length - FixedSize) return null;
        return new QOS
        {
            SendingFlowspec = Read(b.AsSpan(0)),
            ReceivingFlowspec = Read(b.AsSpan(32)),
            ProviderSpecific = new WSABUF { len = extra, buf = extra == 0 ? null : b.AsSpan(FixedSize, (int)extra).ToArray() },
        };
    }

    private static void Write(FLOWSPEC f, Span<byte> b)
    {
        uint[] v = [f.TokenRate, f.TokenBucketSize, f.PeakBandwidth, f.Latency, f.DelayVariation, f.ServiceType, f.MaxSduSize, f.MinimumPolicedSize];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32LittleEndian(b[(i * 4)..], v[i]);
    }

    private static FLOWSPEC Read(ReadOnlySpan<byte> b)
    {
        Span<uint> v = stackalloc uint[8];
        for (int i = 0; i < 8; i++) v[i] = BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]);
        return new FLOWSPEC
        {
            TokenRate = v[0], TokenBucketSize = v[1], PeakBandwidth = v[2], Latency = v[3],
            DelayVariation = v[4], ServiceType = v[5], MaxSduSize = v[6], MinimumPolicedSize = v[7],
        };
    }
}
