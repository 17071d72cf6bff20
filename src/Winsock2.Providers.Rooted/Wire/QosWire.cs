using System.Buffers.Binary;

namespace Winsock2.Providers.Rooted.Wire;

/// <summary>Two flowspecs (sending, receiving) as 16 big-endian u32 on the wire.</summary>
internal static class QosWire
{
    public const int Size = 64;

    /// <summary>"No flowspecs granted" on the wire: both directions not specified.</summary>
    public static QOS None => new() { SendingFlowspec = FLOWSPEC.NotSpecified(), ReceivingFlowspec = FLOWSPEC.NotSpecified() };

    /// <summary>The granted flowspecs a QOS_UPDATE carries: null when it says <see cref="None"/>.</summary>
    public static QOS? Granted(QOS q) =>
        q.SendingFlowspec.Equals(FLOWSPEC.NotSpecified()) && q.ReceivingFlowspec.Equals(FLOWSPEC.NotSpecified()) ? null : q;

    public static void Write(QOS q, Span<byte> b)
    {
        WriteSpec(q.SendingFlowspec, b);
        WriteSpec(q.ReceivingFlowspec, b[32..]);
    }

    public static QOS Read(ReadOnlySpan<byte> b) => new()
    {
        SendingFlowspec = ReadSpec(b),
        ReceivingFlowspec = ReadSpec(b[32..]),
    };

    private static void WriteSpec(FLOWSPEC f, Span<byte> b)
    {
        uint[] v = [f.TokenRate, f.TokenBucketSize, f.PeakBandwidth, f.Latency, f.DelayVariation, f.ServiceType, f.MaxSduSize, f.MinimumPolicedSize];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(b[(i * 4)..], v[i]);
    }

    private static FLOWSPEC ReadSpec(ReadOnlySpan<byte> b)
    {
        Span<uint> v = stackalloc uint[8];
        for (int i = 0; i < 8; i++) v[i] = BinaryPrimitives.ReadUInt32BigEndian(b[(i * 4)..]);
        return new FLOWSPEC
        {
            TokenRate = v[0], TokenBucketSize = v[1], PeakBandwidth = v[2], Latency = v[3],
            DelayVariation = v[4], ServiceType = v[5], MaxSduSize = v[6], MinimumPolicedSize = v[7],
        };
    }
}
