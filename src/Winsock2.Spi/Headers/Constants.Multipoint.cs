namespace Winsock2;

/// <summary>
/// The rooted multipoint provider's own option level and options (its "header"). Set on a c_root (applying to
/// the leaves it admits) or a c_leaf with setsockopt(s, SOL_MULTIPOINT, option, value).
/// </summary>
public static partial class Ws2Spi
{
    /// <summary>Option level of the rooted multipoint provider.</summary>
    public const int SOL_MULTIPOINT = 0x4D50;
    /// <summary>Root: admission capacity in bytes/s shared by GUARANTEED and CONTROLLEDLOAD flows (default 125,000,000).</summary>
    public const int MP_ADMISSION_CAPACITY = 1;
    /// <summary>Join timeout in ms (default 10,000): a join to an address that never answers fails with WSAETIMEDOUT.</summary>
    public const int MP_JOIN_TIMEOUT = 2;
    /// <summary>Heartbeat interval in ms (default 1,000); a peer silent for three intervals is reported dead (FD_CLOSE, WSAENETRESET).</summary>
    public const int MP_HEARTBEAT_INTERVAL = 3;
    /// <summary>Root: what a slow leaf meets: MP_POLICY_BACKPRESSURE (default) or MP_POLICY_EVICT.</summary>
    public const int MP_SLOW_LEAF_POLICY = 4;
    /// <summary>Bytes one leaf may have queued before the slow-leaf policy applies (default 4 MiB).</summary>
    public const int MP_LEAF_QUEUE_LIMIT = 5;
    /// <summary>Read-only: admission capacity not yet reserved (bytes/s).</summary>
    public const int MP_ADMISSION_AVAILABLE = 6;
    /// <summary>Backpressure: a blocking send waits, a nonblocking one gets WSAEWOULDBLOCK and FD_WRITE later.</summary>
    public const int MP_POLICY_BACKPRESSURE = 0;
    /// <summary>Eviction: a leaf over its queue limit is dropped (FD_CLOSE with WSAECONNABORTED); the others keep full speed.</summary>
    public const int MP_POLICY_EVICT = 1;
    /// <summary>Largest caller or callee data of a join (bytes).</summary>
    public const int MP_MAX_CONNECT_DATA = 4096;
    /// <summary>The rooted multipoint protocol number (iProtocol of its rooted-data-plane catalog entries).</summary>
    public const int IPPROTO_RM_TCP = 0x4D50;
    /// <summary>
    /// The T.120-style variant: rooted control plane, nonrooted data plane (every member's data is relayed by the
    /// root to every other member). Members are c_root|d_leaf (the root) and c_leaf|d_leaf.
    /// </summary>
    public const int IPPROTO_RM_TCP_NONROOTED_DATA = 0x4D51;
}
