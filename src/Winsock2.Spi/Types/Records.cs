namespace Winsock2;

/// <summary>Result of WSAEnumNetworkEvents: the events that occurred and, for each set bit, its error code.</summary>
public sealed class WSANETWORKEVENTS
{
    /// <summary>FD_ bits that occurred.</summary>
    public int lNetworkEvents;
    /// <summary>Error codes indexed by FD_*_BIT (only entries for set bits are written).</summary>
    public int[] iErrorCode = new int[Ws2Spi.FD_MAX_EVENTS];
}

/// <summary>A timeout for select: seconds and microseconds. null means wait forever.</summary>
public sealed class timeval
{
    /// <summary>Seconds.</summary>
    public int tv_sec;
    /// <summary>Microseconds.</summary>
    public int tv_usec;
}

/// <summary>SO_LINGER's value.</summary>
public struct linger
{
    /// <summary>Nonzero: linger on close.</summary>
    public ushort l_onoff;
    /// <summary>Seconds to linger (0 with l_onoff set = abortive close).</summary>
    public ushort l_linger;
}

/// <summary>What WSAStartup reports.</summary>
public struct WSADATA
{
    /// <summary>The version the caller should use (low byte major).</summary>
    public ushort wVersion;
    /// <summary>The highest version this implementation supports.</summary>
    public ushort wHighVersion;
    /// <summary>A description of the implementation.</summary>
    public string szDescription;
    /// <summary>Status text.</summary>
    public string szSystemStatus;
}

/// <summary>Identifies a thread for WPUQueueApc (filled by WPUOpenCurrentThread).</summary>
public sealed class WSATHREADID
{
    /// <summary>The runtime's handle for the thread.</summary>
    public nint ThreadHandle;
    /// <summary>Reserved for the API layer.</summary>
    public nuint Reserved;
}

/// <summary>What WSPStartup reports.</summary>
public struct WSPDATA
{
    /// <summary>The SPI version the provider will use.</summary>
    public ushort wVersion;
    /// <summary>The highest SPI version the provider supports.</summary>
    public ushort wHighVersion;
    /// <summary>The provider's description.</summary>
    public string szDescription;
}
