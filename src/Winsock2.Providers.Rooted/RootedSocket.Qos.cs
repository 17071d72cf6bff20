using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>QoS on a rooted socket: the <see cref="QosShaper"/> of its sends, and FD_QOS when the granted flowspecs change.</summary>
internal abstract partial class RootedSocket
{
    private readonly QosShaper _shaper = new();

    /// <summary>Room came back (or tokens did): wake blocked senders and record FD_WRITE if a send failed with WSAEWOULDBLOCK.</summary>
    protected void RoomAvailable()
    {
        if (WriteBlocked && _shaper.DelayMs() == 0)
        {
            WriteBlocked = false;
            Events.Signal(Ws2Spi.FD_WRITE, 0);
        }
        WakeReadyWaiters();
    }

    /// <summary>Tokens are back in <paramref name="ms"/> milliseconds: a sender that got WSAEWOULDBLOCK then gets FD_WRITE.</summary>
    private void ArmWriteTimer(int ms) => _shaper.Arm(ms, () =>
    {
        lock (Gate) if (!Closed) RoomAvailable();
    });

    /// <summary>True when a token bucket shapes this socket's sends.</summary>
    protected bool Shaped => _shaper.Active;

    /// <summary>Applies the granted sending flowspec's token bucket (the kinds set the DSCP mark on their connections).</summary>
    protected void ApplySendingQos(FLOWSPEC sending) => _shaper.Apply(sending);

    /// <summary>The granted flowspecs changed: FD_QOS (edge-triggered, once per change).</summary>
    protected void QosChanged(QOS? granted)
    {
        bool changed = Flowspecs.Differs(Qos, granted);
        Qos = granted;
        if (granted is not null) ApplySendingQos(granted.SendingFlowspec);
        if (changed) Events.Signal(Ws2Spi.FD_QOS, 0);
    }
}
