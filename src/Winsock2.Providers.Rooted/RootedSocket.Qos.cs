using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>QoS on a rooted socket: the <see cref="QosShaper"/> of its sends, and FD_QOS when the granted flowspecs change.</summary>
internal abstract partial class RootedSocket
{
    private readonly QosShaper _shaper = new();

    /// <summary>
    /// Room came back (or tokens did), under the lock: queued sends go first, then a sender that got WSAEWOULDBLOCK
    /// gets FD_WRITE once nothing is queued and tokens are there, and blocked threads re-check.
    /// </summary>
    protected void RoomAvailable()
    {
        PumpSends();
        if (WriteBlocked && _sends is not { IsEmpty: false } && _shaper.DelayMs() == 0)
        {
            WriteBlocked = false;
            Events.Signal(Ws2Spi.FD_WRITE, 0);
        }
        WakeReadyWaiters();
    }

    /// <summary>
    /// Sends wait (queued, or one got WSAEWOULDBLOCK) and the shaper holds them: its timer makes room available
    /// when the tokens are back.
    /// </summary>
    private void ArmForTokens()
    {
        if (!SendsWaiting) return;
        int ms = _shaper.DelayMs();
        if (ms > 0) _shaper.Arm(ms, () =>
        {
            lock (Gate) if (!Closed) RoomAvailable();
        });
    }

    private int _qosAnswers;

    /// <summary>An answer to SIO_SET_QOS arrived from the root (under the lock): the asking thread re-checks.</summary>
    protected void QosAnswered()
    {
        _qosAnswers++;
        WakeReadyWaiters();
    }

    /// <summary>
    /// SIO_SET_QOS on a member whose grant the root decides (called under the lock, held once by WSPIoctl): waits for the
    /// root's answer with the lock released, bounded by the join timeout. 0 when the grant in force is what was asked;
    /// WSAEOPNOTSUPP when the root refused (the old grant stays, and SIO_GET_QOS says so); else why no answer came.
    /// </summary>
    protected int AwaitGrant(QOS asked)
    {
        int seen = _qosAnswers;
        int rc;
        Gate.Exit();
        try { rc = WaitFor(() => { lock (Gate) return _qosAnswers != seen || !Joined || Closed; }, Options.JoinTimeoutMs); }
        finally { Gate.Enter(); }
        if (Closed) return Ws2Spi.WSAENOTSOCK;
        if (_qosAnswers == seen) return !Joined ? Ws2Spi.WSAENOTCONN : rc != 0 ? rc : Ws2Spi.WSAETIMEDOUT;
        return Flowspecs.Differs(Qos, asked) ? Ws2Spi.WSAEOPNOTSUPP : 0;
    }

    /// <summary>
    /// The flowspec of the granted ones that shapes what this socket sends: its sending flowspec (a per-leaf socket,
    /// whose flowspecs are its leaf's, overrides this with the leaf's receiving one).
    /// </summary>
    protected virtual FLOWSPEC? SendingOf(QOS? granted) => granted?.SendingFlowspec;

    /// <summary>The grant is in force (under the lock): what else the kind shapes or marks with it.</summary>
    protected virtual void GrantApplied(QOS? granted) { }

    /// <summary>
    /// The granted flowspecs (under the lock): recorded for SIO_GET_QOS, the sending shaper set from them, and FD_QOS
    /// (edge-triggered, once per change) unless <paramref name="signal"/> is false (the grant a socket is made with).
    /// </summary>
    protected void QosChanged(QOS? granted, bool signal = true)
    {
        bool changed = Flowspecs.Differs(Qos, granted);
        Qos = granted;
        _shaper.Apply(SendingOf(granted));
        GrantApplied(granted);
        if (changed && signal) Events.Signal(Ws2Spi.FD_QOS, 0);
        if (changed) RoomAvailable(); // a new rate: queued sends are re-tried and the timer re-armed
    }
}
