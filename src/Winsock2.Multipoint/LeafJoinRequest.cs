using System.Net;

namespace Winsock2.Multipoint;

/// <summary>
/// A join as the root's admission callback sees it (from WSAAccept's condition function): who asks, with which
/// caller data and flowspecs. The callback may lower <see cref="SendingFlowspec"/> and <see cref="ReceivingFlowspec"/>;
/// what it leaves is granted (the provider never raises a flowspec above what the leaf asked).
/// </summary>
public sealed class LeafJoinRequest
{
    internal LeafJoinRequest(IPEndPoint leaf, byte[] callerData, QOS? qos)
    {
        Leaf = leaf;
        CallerData = callerData;
        Qos = qos;
    }

    /// <summary>The joining leaf's address (lpCallerId).</summary>
    public IPEndPoint Leaf { get; }

    /// <summary>The leaf's caller data (lpCallerData); empty when it sent none.</summary>
    public ReadOnlyMemory<byte> CallerData { get; }

    /// <summary>True when the leaf asked for flowspecs (lpSQOS was given).</summary>
    public bool HasQos => Qos is not null;

    /// <summary>The leaf → root flowspec the leaf asked for; lower it to grant less. Null without QoS; setting it then does nothing.</summary>
    public FLOWSPEC? SendingFlowspec
    {
        get => Qos?.SendingFlowspec;
        set { if (Qos is not null && value is { } f) Qos.SendingFlowspec = f; }
    }

    /// <summary>The root → leaf flowspec the leaf asked for; lower it to grant less. Null without QoS; setting it then does nothing.</summary>
    public FLOWSPEC? ReceivingFlowspec
    {
        get => Qos?.ReceivingFlowspec;
        set { if (Qos is not null && value is { } f) Qos.ReceivingFlowspec = f; }
    }

    /// <summary>The condition function's lpSQOS, changed in place.</summary>
    internal QOS? Qos { get; }
}

/// <summary>The admission callback's answer to a <see cref="LeafJoinRequest"/>.</summary>
public sealed class LeafAdmission
{
    private LeafAdmission(bool accepted, ReadOnlyMemory<byte> calleeData)
    {
        Accepted = accepted;
        CalleeData = calleeData;
    }

    /// <summary>True to admit the leaf (CF_ACCEPT), false to refuse it (CF_REJECT: the leaf's join fails with WSAECONNREFUSED).</summary>
    public bool Accepted { get; }

    /// <summary>The callee data sent back to the leaf (at most MP_MAX_CONNECT_DATA = 4096 bytes; more is cut).</summary>
    public ReadOnlyMemory<byte> CalleeData { get; }

    /// <summary>Admits the leaf and answers it with <paramref name="calleeData"/>.</summary>
    /// <param name="calleeData">What the leaf finds in its lpCalleeData (empty for none).</param>
    /// <returns>The answer.</returns>
    public static LeafAdmission Accept(ReadOnlyMemory<byte> calleeData = default) => new(true, calleeData);

    /// <summary>Refuses the join: the leaf's join fails with WSAECONNREFUSED.</summary>
    /// <returns>The answer.</returns>
    public static LeafAdmission Refuse() => new(false, default);
}
