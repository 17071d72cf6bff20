using Microsoft.Extensions.Logging;

namespace Winsock2.Multipoint;

/// <summary>How a <see cref="MultipointRoot"/> runs its session. Every property documents its default.</summary>
public sealed class MultipointRootOptions
{
    /// <summary>
    /// Decides each leaf-initiated join (it runs as WSAAccept's condition function, on the root's event thread, so
    /// it should return quickly). It sees the leaf's address, caller data and flowspecs, may lower the flowspecs,
    /// and returns <see cref="LeafAdmission.Accept"/> with callee data or <see cref="LeafAdmission.Refuse"/>.
    /// An exception it throws refuses the join. Default null: every join is accepted with no callee data.
    /// </summary>
    public Func<LeafJoinRequest, LeafAdmission>? Admission { get; set; }

    /// <summary>The listen backlog (joins waiting for admission). Default 64.</summary>
    public int Backlog { get; set; } = 64;

    /// <summary>
    /// Admission capacity in bytes/s shared by the GUARANTEED and CONTROLLEDLOAD flowspecs of all leaves
    /// (MP_ADMISSION_CAPACITY); a join asking for more than is left is refused with WSAEOPNOTSUPP.
    /// Default null: the provider's default, 125,000,000 bytes/s.
    /// </summary>
    public uint? AdmissionCapacity { get; set; }

    /// <summary>How long an invitation (<see cref="MultipointRoot.InviteAsync"/>) may take before it fails with WSAETIMEDOUT (MP_JOIN_TIMEOUT). Default 10 seconds.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Heartbeat interval (MP_HEARTBEAT_INTERVAL); a leaf silent for three intervals is reported gone with WSAENETRESET. Default 1 second.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// What a leaf too slow to take the fan-out meets (MP_SLOW_LEAF_POLICY): false = backpressure (SendAsync waits),
    /// true = eviction (the leaf is dropped with WSAECONNABORTED and the others keep full speed). Default false.
    /// </summary>
    public bool EvictSlowLeaves { get; set; }

    /// <summary>How many received messages wait for <see cref="MultipointRoot.ReceiveAsync"/> before the root stops reading (backpressure; nothing is dropped). Default 256.</summary>
    public int ReceiveQueueCapacity { get; set; } = 256;

    /// <summary>Where the root logs joins, refusals, departures and failures. Default null: no logging.</summary>
    public ILogger? Logger { get; set; }
}
