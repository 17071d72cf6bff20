namespace Winsock2;

/// <summary>A flow specification (all values ULONG; QOS_NOT_SPECIFIED = use the default).</summary>
public struct FLOWSPEC
{
#pragma warning disable CS1591 // Field names are the header's; SPEC §6 documents each.
    public uint TokenRate;
    public uint TokenBucketSize;
    public uint PeakBandwidth;
    public uint Latency;
    public uint DelayVariation;
    public uint ServiceType;
    public uint MaxSduSize;
    public uint MinimumPolicedSize;
#pragma warning restore CS1591

    /// <summary>A flowspec with every field QOS_NOT_SPECIFIED and the given service type.</summary>
    public static FLOWSPEC NotSpecified(uint serviceType = Ws2_32.SERVICETYPE_NOTRAFFIC) => new()
    {
        TokenRate = Ws2_32.QOS_NOT_SPECIFIED, TokenBucketSize = Ws2_32.QOS_NOT_SPECIFIED,
        PeakBandwidth = Ws2_32.QOS_NOT_SPECIFIED, Latency = Ws2_32.QOS_NOT_SPECIFIED,
        DelayVariation = Ws2_32.QOS_NOT_SPECIFIED, ServiceType = serviceType,
        MaxSduSize = Ws2_32.QOS_NOT_SPECIFIED, MinimumPolicedSize = Ws2_32.QOS_NOT_SPECIFIED,
    };
}

/// <summary>Quality of service: one flowspec per direction plus provider-specific data.</summary>
public sealed class QOS
{
    /// <summary>The sending direction.</summary>
    public FLOWSPEC SendingFlowspec;
    /// <summary>The receiving direction.</summary>
    public FLOWSPEC ReceivingFlowspec;
    /// <summary>Provider-specific data (buf null, len 0 when none).</summary>
    public WSABUF ProviderSpecific = new();

    /// <summary>A copy that shares nothing with this one.</summary>
    public QOS Clone() => new()
    {
        SendingFlowspec = SendingFlowspec, ReceivingFlowspec = ReceivingFlowspec,
        ProviderSpecific = new WSABUF { len = ProviderSpecific.len, buf = (byte[]?)ProviderSpecific.buf?.Clone() },
    };
}

/// <summary>QOS as WSAIoctl's SIO_SET_QOS / SIO_GET_QOS buffers carry it.</summary>
public static class QosBuffer
{
    /// <summary>The ioctl buffer for a QOS: two flowspecs (8 little-endian u32 each), provider-specific length, bytes.</summary>
    public static byte[] ToBytes(QOS qos) => Providers.Shared.QosBytes.Encode(qos);

    /// <summary>A QOS from an ioctl buffer, or null if the buffer is too short or inconsistent.</summary>
    public static QOS? FromBytes(byte[] buffer, int length) => Providers.Shared.QosBytes.Decode(buffer, (uint)length);
}
