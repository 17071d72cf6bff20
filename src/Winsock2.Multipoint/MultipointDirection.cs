namespace Winsock2.Multipoint;

/// <summary>Which directions a leaf of a rooted session uses (WSAJoinLeaf's JL_ flags).</summary>
public enum MultipointDirection
{
    /// <summary>Send to the root and receive its fan-out (JL_BOTH).</summary>
    Both,
    /// <summary>Send only (JL_SENDER_ONLY): the root's fan-out does not reach this leaf.</summary>
    SendOnly,
    /// <summary>Receive only (JL_RECEIVER_ONLY): sending fails with WSAEOPNOTSUPP.</summary>
    ReceiveOnly,
}

/// <summary>Conversions of <see cref="MultipointDirection"/>.</summary>
internal static class MultipointDirections
{
    /// <summary>The JL_ flag of a direction.</summary>
    public static uint JoinFlags(this MultipointDirection d) => d switch
    {
        MultipointDirection.SendOnly => Ws2_32.JL_SENDER_ONLY,
        MultipointDirection.ReceiveOnly => Ws2_32.JL_RECEIVER_ONLY,
        _ => Ws2_32.JL_BOTH,
    };
}
