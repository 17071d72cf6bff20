namespace Winsock2.Providers.Rooted;

/// <summary>The SOL_MULTIPOINT options of a socket (a root's per-leaf sockets share the root's).</summary>
internal sealed class MpOptions
{
    public uint AdmissionCapacity = RootedLimits.DefaultAdmissionCapacity;
    public int JoinTimeoutMs = RootedLimits.DefaultJoinTimeoutMs;
    public int HeartbeatMs = RootedLimits.DefaultHeartbeatMs;
    public int SlowLeafPolicy = Ws2Spi.MP_POLICY_BACKPRESSURE;
    public int LeafQueueLimit = RootedLimits.DefaultLeafQueueBytes;
    /// <summary>SO_RCVBUF: unread bytes held per receiving connection before reading it stops (shared like the rest).</summary>
    public int ReceiveBuffer = RootedLimits.DefaultReceiveBuffer;

    public MpOptions Clone() => (MpOptions)MemberwiseClone();
}
