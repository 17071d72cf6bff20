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
    /// <summary>
    /// Default SO_RCVBUF (bytes): unread messages a receiving socket holds per connection before the provider stops
    /// reading that connection (TCP's window then closes and the sender's own queue fills).
    /// </summary>
    public const int DefaultReceiveBuffer = 1 << 20;
    /// <summary>What each queued message counts against SO_RCVBUF besides its payload (its bookkeeping).</summary>
    public const int MessageOverhead = 128;
    /// <summary>The most one read takes from a connection (wire bytes); a full receive buffer is passed by at most this.</summary>
    public const int ReadChunk = 64 * 1024;
    /// <summary>Wire bytes one reading turn takes from a connection before it lets other connections and the timer run.</summary>
    public const int ReadTurnBytes = 1 << 20;

    /// <summary>
    /// The most a receiving connection holds (bytes) with SO_RCVBUF = <paramref name="receiveBuffer"/>: the full buffer,
    /// the messages of one more read (a read of <see cref="ReadChunk"/> wire bytes can hold one message per header, each
    /// costing <see cref="MessageOverhead"/>), and the frame being received (its buffer grows with the bytes that came).
    /// </summary>
    public static long ReceiveBound(int receiveBuffer) =>
        receiveBuffer + (long)ReadChunk * (Wire.Frame.HeaderSize + MessageOverhead) / Wire.Frame.HeaderSize + Wire.Frame.HeaderSize + MaxMessage;
}
