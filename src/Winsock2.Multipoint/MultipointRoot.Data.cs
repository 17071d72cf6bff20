using System.Net.Sockets;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

public sealed partial class MultipointRoot
{
    private readonly byte[] _buffer;
    private readonly byte[] _from = new byte[SockAddr.SizeIn6];
    private int _lastReceiveError;

    /// <summary>
    /// Sends one message to every leaf that receives (send on the d_root: the provider frames it once and fans it
    /// out). Messages keep their boundaries and order. When a leaf is slow the send waits (backpressure) unless the
    /// root evicts slow leaves.
    /// </summary>
    /// <param name="message">The message (at most SO_MAX_MSG_SIZE bytes).</param>
    /// <param name="cancellationToken">Cancels the send while it still waits; a send under way completes.</param>
    /// <returns>A task that completes when Winsock took the message.</returns>
    /// <exception cref="SocketException">WSAEMSGSIZE when too large, WSAESHUTDOWN after disposal, ...</exception>
    /// <exception cref="ObjectDisposedException">The root was disposed.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _sends.SendAsync(message, cancellationToken);
    }

    /// <summary>Receives the next message any leaf sent (WSARecvFrom on the d_root), with the leaf that sent it.</summary>
    /// <param name="cancellationToken">Cancels the wait; no message is lost by cancelling.</param>
    /// <returns>The message and its sender.</returns>
    /// <exception cref="ObjectDisposedException">The root was disposed.</exception>
    public ValueTask<LeafMessage> ReceiveAsync(CancellationToken cancellationToken = default) => _received.ReadAsync(cancellationToken);

    /// <summary>The leaves' messages as they arrive, until the root is disposed or the token cancels.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>An asynchronous stream of messages.</returns>
    public IAsyncEnumerable<LeafMessage> ReceiveAllAsync(CancellationToken cancellationToken = default) => _received.ReadAllAsync(cancellationToken);

    /// <summary>One nonblocking WSARecvFrom on the root (loop thread).</summary>
    private int ReceiveOne(out LeafMessage message)
    {
        message = default;
        uint flags = 0;
        int fromlen = _from.Length;
        if (WSARecvFrom(_socket, [new WSABUF(_buffer)], 1, out uint n, ref flags, _from, ref fromlen, null, null) == SOCKET_ERROR)
            return WSAGetLastError();
        _lastReceiveError = 0;
        var leaf = SockAddr.TryParse(_from, fromlen, out var from) == 0 ? FindLeaf(from!) : FindLeaf(new(System.Net.IPAddress.None, 0));
        message = new LeafMessage(leaf, _buffer.AsSpan(0, (int)n).ToArray());
        MultipointTelemetry.Message("root", "received", (int)n);
        return 0;
    }

    /// <summary>A receive failed with something other than WSAEWOULDBLOCK: logged once per kind (loop thread).</summary>
    private void ReceiveFailed(int error)
    {
        if (error == _lastReceiveError) return;
        _lastReceiveError = error;
        MultipointLog.CallFailed(_log, "WSARecvFrom", WSAErrorText(error));
    }
}
