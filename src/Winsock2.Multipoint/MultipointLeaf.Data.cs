using System.Net.Sockets;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

public sealed partial class MultipointLeaf
{
    private readonly ReceiveQueue<byte[]> _received;
    private readonly byte[] _buffer = new byte[MaxMessage];
    private int _closeError = -1;

    /// <summary>The largest message the leaf receives whole (the rooted provider's SO_MAX_MSG_SIZE, 1 MiB).</summary>
    private const int MaxMessage = 1 << 20;

    /// <summary>
    /// Sends one message to the root (never to other leaves). A granted sending flowspec paces the sends
    /// (TokenRate, TokenBucketSize, PeakBandwidth): the task completes when the shaper let the message go.
    /// </summary>
    /// <param name="message">The message (at most SO_MAX_MSG_SIZE bytes).</param>
    /// <param name="cancellationToken">Cancels the send while it still waits; a send under way completes.</param>
    /// <returns>A task that completes when Winsock took the message.</returns>
    /// <exception cref="SocketException">WSAEOPNOTSUPP on a receive-only leaf, WSAEDISCON after the root ended the session, ...</exception>
    /// <exception cref="ObjectDisposedException">The leaf was disposed.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _sends.SendAsync(message, cancellationToken);
    }

    /// <summary>Receives the next message the root sent (its fan-out, or its side chat with this leaf).</summary>
    /// <param name="cancellationToken">Cancels the wait; no message is lost by cancelling.</param>
    /// <returns>The whole message.</returns>
    /// <exception cref="SocketException">WSAEDISCON once the root ended the session and every message was read; the error when the connection broke; WSAEOPNOTSUPP on a send-only leaf.</exception>
    /// <exception cref="ObjectDisposedException">The leaf was disposed.</exception>
    public ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (Direction == MultipointDirection.SendOnly) return ValueTask.FromException<byte[]>(Failure.Of(WSAEOPNOTSUPP, "receive"));
        return _received.ReadAsync(cancellationToken);
    }

    /// <summary>The root's messages as they arrive; ends when the session ends gracefully or the leaf is disposed.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>An asynchronous stream of messages.</returns>
    /// <exception cref="SocketException">The connection broke (WSAECONNRESET, WSAENETRESET, ...).</exception>
    public IAsyncEnumerable<byte[]> ReceiveAllAsync(CancellationToken cancellationToken = default) => _received.ReadAllAsync(cancellationToken);

    /// <summary>FD_READ (or a tick): receive what is there, unless this leaf only sends (loop thread).</summary>
    private void Receive()
    {
        if (Direction != MultipointDirection.SendOnly && !_closed.Task.IsCompleted) _received.Drain();
    }

    /// <summary>One nonblocking WSARecv (loop thread).</summary>
    private int ReceiveOne(out byte[] message)
    {
        message = [];
        uint flags = 0;
        if (WSARecv(_socket, [new WSABUF(_buffer)], 1, out uint n, ref flags, null, null) == SOCKET_ERROR) return WSAGetLastError();
        message = _buffer.AsSpan(0, (int)n).ToArray();
        MultipointTelemetry.Message("leaf", "received", (int)n);
        return 0;
    }

    /// <summary>A receive failed: WSAEDISCON (graceful end, every message read) or a broken connection ends the session.</summary>
    private void ReceiveFailed(int error)
    {
        if (error == WSAEDISCON) End(_closeError > 0 ? _closeError : 0, local: false);
        else if (error is WSAECONNRESET or WSAECONNABORTED or WSAENETRESET or WSAENOTCONN or WSAESHUTDOWN) End(error, local: false);
        else MultipointLog.CallFailed(_log, "WSARecv", WSAErrorText(error));
    }

    /// <summary>FD_CLOSE: the session is over once the messages before it are read (loop thread).</summary>
    private void SessionClosing(int error)
    {
        _closeError = error;
        if (Direction == MultipointDirection.SendOnly) End(error, local: false);
        else Receive();
    }
}
