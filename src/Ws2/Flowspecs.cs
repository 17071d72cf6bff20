using Winsock2;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>Flowspecs as the tool prints them.</summary>
internal static class Flowspecs
{
    private static uint? Value(uint v) => v == QOS_NOT_SPECIFIED ? null : v;

    public static string ServiceType(uint t) => t switch
    {
        SERVICETYPE_NOTRAFFIC => "NOTRAFFIC", SERVICETYPE_BESTEFFORT => "BESTEFFORT", SERVICETYPE_CONTROLLEDLOAD => "CONTROLLEDLOAD",
        SERVICETYPE_GUARANTEED => "GUARANTEED", SERVICETYPE_NETWORK_CONTROL => "NETWORK_CONTROL", _ => t.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>{serviceType, tokenRate, tokenBucketSize, peakBandwidth} (null = not specified).</summary>
    public static object Json(FLOWSPEC f) => new
    {
        serviceType = ServiceType(f.ServiceType), tokenRate = Value(f.TokenRate),
        tokenBucketSize = Value(f.TokenBucketSize), peakBandwidth = Value(f.PeakBandwidth),
    };

    public static object? Json(QOS? q) => q is null ? null : new { sending = Json(q.SendingFlowspec), receiving = Json(q.ReceivingFlowspec) };

    public static string Text(FLOWSPEC f) =>
        $"{ServiceType(f.ServiceType)} {(f.TokenRate == QOS_NOT_SPECIFIED ? "rate not specified" : $"{f.TokenRate} B/s")}";

    public static string Text(QOS? q) => q is null ? "no QoS" : $"sending {Text(q.SendingFlowspec)}, receiving {Text(q.ReceivingFlowspec)}";

    /// <summary>What a leaf of the tool asks for: best effort both ways, rates left to the root.</summary>
    public static QOS BestEffort() => new()
    {
        SendingFlowspec = FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT),
        ReceivingFlowspec = FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT),
    };
}
