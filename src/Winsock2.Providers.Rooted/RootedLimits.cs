namespace Winsock2.Providers.Rooted;

/// <summary>The rooted provider's documented bounds and defaults (docs/protocol.md).</summary>
internal static class RootedLimits
{
    /// <summary>Largest caller or callee data of a join (bytes). More caller data → WSAEFAULT before anything is sent.</summary>
    public const int MaxConnectData = 4096;
    /// <summary>Largest message (SO_MAX_MSG_SIZE, dwMessageSize).</summary>
    public const int MaxMessage = 1 << 20;
    /// <summary>Default join timeout (ms): a join to an address that never answers fails with WSAETIMEDOUT.</summary>
    public const int DefaultJoinTimeoutMs = 10_000;
    /// <summary>Default heartbeat interval (ms); a peer silent for 3 intervals is reported dead (WSAENETRESET).</summary>
    public const int DefaultHeartbeatMs = 1_000;
    /// <summary>Default per-leaf queue bound (bytes) before backpressure or eviction.</summary>
    public const int DefaultLeafQueueBytes = 4 << 20;
    /// <summary>Default admission capacity (bytes/s) for GUARANTEED and CONTROLLEDLOAD flows: 1 Gbit/s.</summary>
    public const uint DefaultAdmissionCapacity = 125_000_000;
    /// <summary>Size of the shared fan-out chunks and the largest gathered write.</summary>
    public const int ChunkSize = 64 * 1024;
}
