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
    public static FLOWSPEC NotSpecified(uint serviceType = Ws2Spi.SERVICETYPE_NOTRAFFIC) => new()
    {
        TokenRate = Ws2Spi.QOS_NOT_SPECIFIED, TokenBucketSize = Ws2Spi.QOS_NOT_SPECIFIED,
        PeakBandwidth = Ws2Spi.QOS_NOT_SPECIFIED, Latency = Ws2Spi.QOS_NOT_SPECIFIED,
        DelayVariation = Ws2Spi.QOS_NOT_SPECIFIED, ServiceType = serviceType,
        MaxSduSize = Ws2Spi.QOS_NOT_SPECIFIED, MinimumPolicedSize = Ws2Spi.QOS_NOT_SPECIFIED,
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
        ProviderSpecific = new WSABUF { len = ProviderSpecific.len, buf = (byte[]?)ProviderSpecific.buf?.Clone(), offset = ProviderSpecific.offset },
    };
}
