namespace Winsock2.Providers.Core;

/// <summary>Flowspec rules: validity, what admission control reserves, lowering, and the DSCP mark (SPEC §6).</summary>
internal static class Flowspecs
{
    /// <summary>A finite, specified rate.</summary>
    public static bool HasRate(uint v) => v != Ws2Spi.QOS_NOT_SPECIFIED && v != Ws2Spi.POSITIVE_INFINITY_RATE && v != 0;

    private static bool Carries(FLOWSPEC f) => f.ServiceType is not (Ws2Spi.SERVICETYPE_NOTRAFFIC or Ws2Spi.SERVICETYPE_NOCHANGE);

    /// <summary>Invalid: a carrying flow with TokenRate 0, or PeakBandwidth below TokenRate.</summary>
    public static bool IsValid(FLOWSPEC f)
    {
        if (!Carries(f)) return true;
        if (f.TokenRate == 0) return false;
        if (f.TokenRate != Ws2Spi.QOS_NOT_SPECIFIED && f.PeakBandwidth != Ws2Spi.QOS_NOT_SPECIFIED
            && f.TokenRate != Ws2Spi.POSITIVE_INFINITY_RATE && f.PeakBandwidth < f.TokenRate) return false;
        return true;
    }

    /// <summary>Both directions valid (the unused direction of a one-way member is ignored).</summary>
    public static bool IsValid(QOS q, uint jlFlags) =>
        ((jlFlags & Ws2Spi.JL_RECEIVER_ONLY) != 0 || IsValid(q.SendingFlowspec))
        && ((jlFlags & Ws2Spi.JL_SENDER_ONLY) != 0 || IsValid(q.ReceivingFlowspec));

    /// <summary>Bytes/s a flow reserves: the TokenRate of GUARANTEED and CONTROLLEDLOAD directions.</summary>
    public static ulong Reserved(QOS? q, uint jlFlags)
    {
        if (q is null) return 0;
        ulong sum = 0;
        if ((jlFlags & Ws2Spi.JL_RECEIVER_ONLY) == 0) sum += Reserved(q.SendingFlowspec);
        if ((jlFlags & Ws2Spi.JL_SENDER_ONLY) == 0) sum += Reserved(q.ReceivingFlowspec);
        return sum;
    }

    private static ulong Reserved(FLOWSPEC f) =>
        f.ServiceType is Ws2Spi.SERVICETYPE_GUARANTEED or Ws2Spi.SERVICETYPE_CONTROLLEDLOAD && HasRate(f.TokenRate) ? f.TokenRate : 0;

    /// <summary>What the acceptor left, never above what was asked (an acceptor may only lower a flowspec).</summary>
    public static QOS Lower(QOS asked, QOS left) => new()
    {
        SendingFlowspec = Lower(asked.SendingFlowspec, left.SendingFlowspec),
        ReceivingFlowspec = Lower(asked.ReceivingFlowspec, left.ReceivingFlowspec),
    };

    private static FLOWSPEC Lower(FLOWSPEC a, FLOWSPEC l)
    {
        static uint Min(uint x, uint y) => x == Ws2Spi.QOS_NOT_SPECIFIED ? y : y == Ws2Spi.QOS_NOT_SPECIFIED ? x : Math.Min(x, y);
        return a with
        {
            TokenRate = Min(a.TokenRate, l.TokenRate),
            TokenBucketSize = Min(a.TokenBucketSize, l.TokenBucketSize),
            PeakBandwidth = Min(a.PeakBandwidth, l.PeakBandwidth),
            ServiceType = l.ServiceType <= a.ServiceType || a.ServiceType == Ws2Spi.SERVICETYPE_NOTRAFFIC ? l.ServiceType : a.ServiceType,
        };
    }

    /// <summary>The DSCP Windows' packet scheduler gives conforming packets of a service type.</summary>
    public static int Dscp(uint serviceType) => serviceType switch
    {
        Ws2Spi.SERVICETYPE_CONTROLLEDLOAD => 24,
        Ws2Spi.SERVICETYPE_GUARANTEED => 40,
        Ws2Spi.SERVICETYPE_NETWORK_CONTROL => 48,
        _ => 0,
    };

    /// <summary>True when any flowspec parameter differs (FD_QOS is recorded once per change).</summary>
    public static bool Differs(QOS? a, QOS? b) =>
        a is null != b is null || (a is not null && (!a.SendingFlowspec.Equals(b!.SendingFlowspec) || !a.ReceivingFlowspec.Equals(b.ReceivingFlowspec)));
}
