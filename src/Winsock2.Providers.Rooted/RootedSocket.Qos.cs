using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>QoS on a rooted socket: the token bucket that shapes its sends, and FD_QOS when the granted flowspecs change.</summary>
internal abstract partial class RootedSocket
{
    private TokenBucket? _shaper;
    private Timer? _writeTimer;

    /// <summary>Room came back (or tokens did): wake blocked senders and record FD_WRITE if a send failed with WSAEWOULDBLOCK.</summary>
    protected void RoomAvailable()
    {
        if (WriteBlocked && (_shaper?.DelayMs(Environment.TickCount64) ?? 0) == 0)
        {
            WriteBlocked = false;
            Events.Signal(Ws2Spi.FD_WRITE, 0);
        }
        WakeReadyWaiters();
    }

    private void ArmWriteTimer(int ms)
    {
        _writeTimer?.Dispose();
        _writeTimer = new Timer(_ =>
        {
            try { lock (Gate) if (!Closed) RoomAvailable(); }
            catch (Exception e) { Diagnostics.CallbackFailed("shaper timer", e); }
        }, null, ms, Timeout.Infinite);
    }

    /// <summary>True when a token bucket shapes this socket's sends.</summary>
    protected bool Shaped => _shaper is not null;

    /// <summary>Applies the granted sending flowspec: token bucket and DSCP mark.</summary>
    protected void ApplySendingQos(FLOWSPEC sending)
    {
        _shaper = TokenBucket.For(sending);
    }

    /// <summary>The granted flowspecs changed: FD_QOS (edge-triggered, once per change).</summary>
    protected void QosChanged(QOS? granted)
    {
        bool changed = Flowspecs.Differs(Qos, granted);
        Qos = granted;
        if (granted is not null) ApplySendingQos(granted.SendingFlowspec);
        if (changed) Events.Signal(Ws2Spi.FD_QOS, 0);
    }
}
