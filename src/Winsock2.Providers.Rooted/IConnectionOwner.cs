using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>What a connection reports to the socket that owns it. Every call is made under <see cref="Gate"/>.</summary>
internal interface IConnectionOwner
{
    /// <summary>The session lock the owner and the connection share.</summary>
    object Gate { get; }

    /// <summary>The root's shared stream the connection writes from (null on a leaf).</summary>
    FanOutStream? Stream { get; }

    /// <summary>The outgoing TCP connect finished (0 or the error).</summary>
    void OnConnected(Connection c, int error);

    /// <summary>A frame arrived (not heartbeats or LEAVE, which the connection handles).</summary>
    void OnFrame(Connection c, FrameType type, byte[] payload);

    /// <summary>The connection ended: 0 after the peer's LEAVE, else WSAECONNRESET, WSAECONNABORTED, WSAENETRESET or WSAETIMEDOUT.</summary>
    void OnClosed(Connection c, int error);

    /// <summary>The writer moved bytes: room may have come back (backpressure, FD_WRITE).</summary>
    void OnWritten(Connection c);
}
