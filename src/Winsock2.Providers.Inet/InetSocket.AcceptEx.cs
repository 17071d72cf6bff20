using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// AcceptEx and SO_UPDATE_ACCEPT_CONTEXT. A listening socket keeps its AcceptEx requests in posting order; readiness
/// (and each new request) hands the oldest pending connection to the oldest request: the connection's descriptor takes
/// the place of the accept socket's (dup3, so the application's handle stays), both addresses go into the output
/// buffer, and the request completes — at once when no first data is asked for, else through an overlapped receive of
/// dwReceiveDataLength bytes on the accept socket (0 bytes when the peer closes first). Every AcceptEx completion, with
/// or without first data, success or failure, goes through the LISTENER's completion, as Windows delivers it for the
/// listening socket: its hEvent, and the packet to the port the listener is associated with, under its key. Closing
/// the listener aborts the requests still waiting for a connection or for their first data. Until
/// SO_UPDATE_ACCEPT_CONTEXT names the listener, getsockname and getpeername on the accept socket fail with WSAENOTCONN
/// and it has none of the listener's properties, as on Windows.
/// </summary>
internal sealed partial class InetSocket
{
    private sealed record AcceptExRequest(InetSocket Acceptor, byte[] Buffer, uint ReceiveLength, uint LocalLength, uint RemoteLength, IoRequest Io);

    /// <summary>A listener's AcceptEx requests, oldest first (under the listener's lock).</summary>
    private LinkedList<AcceptExRequest>? _acceptEx;
    /// <summary>
    /// A listener's accepted AcceptEx requests waiting for their first data on their accept sockets (under the
    /// listener's lock; finished ones are dropped as new ones come, so it holds about as many as are waiting).
    /// </summary>
    private List<(InetSocket Acceptor, IoRequest Receive)>? _acceptExReceiving;
    /// <summary>An accept socket: the listener of its AcceptEx (pending, or accepted until the context is updated).</summary>
    private InetSocket? _acceptExListener;
    /// <summary>Accepted by AcceptEx, SO_UPDATE_ACCEPT_CONTEXT not yet set.</summary>
    private bool _acceptContextPending;

    /// <summary>
    /// AcceptEx on this listener (checks in the order Windows makes them, as Wine's test_AcceptEx records): WSAEINVAL
    /// when not listening (also unbound); WSAEFAULT for the buffer (<see cref="AcceptExBuffer.Check"/>); WSAEINVAL
    /// without an overlapped structure, for an accept socket that is bound, connected, listening, already in an AcceptEx,
    /// or of another family or type. Else WSA_IO_PENDING: the request completes through the WSAOVERLAPPED.
    /// </summary>
    public int AcceptEx(InetSocket acceptor, byte[] buffer, uint receiveLength, uint localLength, uint remoteLength,
        WSAOVERLAPPED? ov, WSATHREADID? threadId)
    {
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (!_listening) return Ws2Spi.WSAEINVAL;
        }
        int check = AcceptExBuffer.Check(Family, buffer, receiveLength, localLength, remoteLength);
        if (check != 0) return check;
        if (ov is null || acceptor == this) return Ws2Spi.WSAEINVAL;
        lock (acceptor.Gate)
        {
            if (acceptor._closed) return Ws2Spi.WSAENOTSOCK;
            if (acceptor.Family != Family || !acceptor.IsStream || acceptor._bound || acceptor._conn != ConnState.None
                || acceptor._listening || acceptor._acceptExListener is not null)
                return Ws2Spi.WSAEINVAL;
            acceptor._acceptExListener = this;
        }
        var io = new IoRequest([], 0, 0, ov, null, threadId);
        lock (Gate)
        {
            if (_closed)
            {
                lock (acceptor.Gate) acceptor._acceptExListener = null;
                return Ws2Spi.WSAENOTSOCK;
            }
            _completion.Pend(io);
            (_acceptEx ??= new()).AddLast(new AcceptExRequest(acceptor, buffer, receiveLength, localLength, remoteLength, io));
            PumpAcceptEx();
            RefreshEvents();
        }
        return Ws2Spi.WSA_IO_PENDING;
    }

    /// <summary>Hands pending connections to the waiting AcceptEx requests, oldest first (under the listener's lock).</summary>
    private void PumpAcceptEx()
    {
        while (_acceptEx?.First is { } node && !_closed)
        {
            var conn = TakePending(out int errno);
            if (conn is null)
            {
                if (errno == 0) return;
                _acceptEx.RemoveFirst();
                node.Value.Acceptor.LeaveAcceptEx();
                _completion.Complete(node.Value.Io, errno, 0, 0);
                continue;
            }
            _acceptEx.RemoveFirst();
            if (!node.Value.Acceptor.TakeConnection(this, conn, node.Value))
            {
                _backlog.AddFirst(conn); // the accept socket was closed meanwhile: the connection waits for the next taker
                _completion.Complete(node.Value.Io, Ws2Spi.WSA_OPERATION_ABORTED, 0, 0);
            }
        }
    }

    /// <summary>
    /// The accept socket takes <paramref name="conn"/> (under the listener's lock); false when it was closed. The AcceptEx
    /// completes through the listener's completion, as Windows delivers it for the listening socket; one that waits for
    /// its first data does so through a receive queued on the accept socket that completes through the listener's
    /// completion too (<see cref="IoRequest.CompletesThrough"/>).
    /// </summary>
    private bool TakeConnection(InetSocket listener, Socket conn, AcceptExRequest request)
    {
        lock (Gate)
        {
            if (_closed) return false;
            int err = AdoptDescriptor(conn.SafeHandle);
            conn.Dispose();
            if (err != 0)
            {
                _acceptExListener = null;
                listener._completion.Complete(request.Io, err, 0, 0);
                return true;
            }
            _conn = ConnState.Connected;
            _bound = true;
            _acceptContextPending = true;
            AcceptExBuffer.Write(request.Buffer, request.ReceiveLength, request.LocalLength, LocalEndPoint, RemoteEndPoint);
            if (request.ReceiveLength == 0)
            {
                listener._completion.Complete(request.Io, 0, 0, 0);
                return true;
            }
            // The first data: a receive into the buffer's first part that completes the AcceptEx's WSAOVERLAPPED.
            var r = new IoRequest([new WSABUF(request.Buffer, request.ReceiveLength)], 1, 0, request.Io.Overlapped, null, null)
            {
                CompletesThrough = listener._completion,
            };
            if (StartDataStep(_recvQ, r, static (s, r) => s.TryReceive(r), listener._completion))
            {
                var receiving = listener._acceptExReceiving ??= new();
                receiving.RemoveAll(static e => e.Receive.Done);
                receiving.Add((this, r));
            }
            return true;
        }
    }

    /// <summary>
    /// This socket's descriptor comes to stand for <paramref name="source"/>'s socket (under the lock): the reactor
    /// watches the new one. 0 or the error.
    /// </summary>
    private int AdoptDescriptor(SafeSocketHandle source)
    {
        Reactor.Shared.Unregister(_fd, _reactorId);
        int rc = SocketCalls.Replace(_handle, source, out int errno);
        _reactorId = Reactor.Shared.Register(_fd, this);
        InputWatchedAfresh(); // InetSocket.QuietInput.cs
        return rc == 0 ? 0 : Errno.ToWinsock(errno);
    }

    /// <summary>An accept socket leaves its listener's AcceptEx (closed, or its request failed).</summary>
    private void LeaveAcceptEx()
    {
        lock (Gate) _acceptExListener = null;
    }

    /// <summary>
    /// closesocket of a listener (under its lock): its AcceptEx requests complete with WSA_OPERATION_ABORTED, those
    /// waiting for a connection and those waiting for their first data (the accept socket keeps its connection).
    /// </summary>
    private void AbortAcceptEx()
    {
        while (_acceptEx?.First is { } node)
        {
            _acceptEx.RemoveFirst();
            node.Value.Acceptor.LeaveAcceptEx();
            _completion.Complete(node.Value.Io, Ws2Spi.WSA_OPERATION_ABORTED, 0, 0);
        }
        if (_acceptExReceiving is not { } receiving) return;
        _acceptExReceiving = null;
        foreach (var (acceptor, receive) in receiving)
            lock (acceptor.Gate) acceptor._recvQ.FailWhere(receive, static (mine, r) => r == mine, Ws2Spi.WSA_OPERATION_ABORTED);
    }

    /// <summary>closesocket of an accept socket whose AcceptEx waits (after its own lock): the request completes aborted.</summary>
    private void CancelOwnAcceptEx()
    {
        InetSocket? listener;
        lock (Gate) listener = _acceptContextPending ? null : _acceptExListener;
        if (listener is null) return;
        lock (listener.Gate)
        {
            for (var node = listener._acceptEx?.First; node is not null; node = node.Next)
            {
                if (node.Value.Acceptor != this) continue;
                listener._acceptEx!.Remove(node);
                listener._completion.Complete(node.Value.Io, Ws2Spi.WSA_OPERATION_ABORTED, 0, 0);
                return;
            }
        }
    }

    /// <summary>
    /// SO_UPDATE_ACCEPT_CONTEXT (under the lock): the option value is the listening socket's handle (a SOCKET, 8 bytes).
    /// WSAEFAULT when shorter; WSAENOTSOCK when it is no socket; WSAEINVAL on a socket AcceptEx did not accept. Then
    /// getsockname and getpeername work, and the socket takes the listener's blocking mode, timeouts and SO_OOBINLINE.
    /// </summary>
    private int UpdateAcceptContext(byte[]? optval, int optlen)
    {
        if (optval is null || optlen < IntPtr.Size) return Ws2Spi.WSAEFAULT;
        var handle = new SOCKET((nuint)BitConverter.ToUInt64(optval, 0));
        if (_upcalls.WPUQuerySocketHandleContext(handle, out _, out _) != 0) return Ws2Spi.WSAENOTSOCK;
        if (_acceptExListener is not { } listener || _conn != ConnState.Connected) return Ws2Spi.WSAEINVAL;
        _acceptContextPending = false;
        _acceptExListener = null;
        NonBlocking = listener.NonBlocking;
        RecvTimeoutMs = listener.RecvTimeoutMs;
        SendTimeoutMs = listener.SendTimeoutMs;
        OobInline = listener.OobInline;
        return 0;
    }
}
