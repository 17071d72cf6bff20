using System.Net;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Inet;

/// <summary>
/// One TCP or UDP socket of the base provider: a System.Net.Sockets socket kept nonblocking underneath,
/// Winsock's state on top (blocking mode, overlapped queues, event selection), driven by the reactor.
/// Every field is guarded by <see cref="Gate"/>.
/// </summary>
internal sealed partial class InetSocket : IReadyHandler, IProviderSocket, IListeningSocket<Socket>
{
    /// <summary>Most overlapped requests one direction may have outstanding; one more is WSAEWOULDBLOCK.</summary>
    public const int MaxOutstanding = OperationQueue.MaxOutstanding;

    private enum ConnState { None, Connecting, Connected, Failed }

    public readonly Lock Gate = new();
    private readonly WSPUPCALLTABLE _upcalls;
    private readonly Socket _os;
    /// <summary>The descriptor number, only as the reactor's key (registered while open); calls go through <see cref="_handle"/>.</summary>
    private readonly int _fd;
    /// <summary>The socket's handle for <see cref="SocketCalls"/>: each call holds it, so the descriptor outlives the call.</summary>
    private readonly SafeSocketHandle _handle;
    private ulong _reactorId; // renewed when AcceptEx or DisconnectEx give the descriptor another socket
    private readonly Completion _completion;
    /// <summary>The pending receives and sends, each in posting order.</summary>
    private readonly OperationQueue _recvQ, _sendQ;
    private readonly LinkedList<Socket> _backlog = new();
    private readonly ReadyWaiters _readyWaiters;

    private ConnState _conn;
    private bool _bound, _listening, _recvShut, _sendShut, _closed, _closeSignaled, _eof, _writeBlocked, _connectReported, _connectedByConnect;
    private int _sockError;        // sticky error of a broken connection (WSAECONNRESET ...)
    private int _connectError;     // result of the last asynchronous connect
    private int _pendingSoError;   // what SO_ERROR reports next
    private IPEndPoint? _peer;     // the TCP peer as seen when the connection was made

    public InetSocket(WSPUPCALLTABLE upcalls, WSAPROTOCOL_INFOW info, uint flags, Socket os)
    {
        _upcalls = upcalls;
        Info = info;
        Flags = flags;
        _os = os;
        _os.Blocking = false;
        _fd = (int)_os.Handle;
        _handle = _os.SafeHandle;
        Events = new NetworkEventRecord(upcalls);
        _completion = new Completion(upcalls, this);
        _recvQ = new OperationQueue(Gate, _completion);
        _sendQ = new OperationQueue(Gate, _completion);
        _readyWaiters = new ReadyWaiters(Gate);
        _reactorId = Reactor.Shared.Register(_fd, this);
        InitMulticast();
    }

    public WSAPROTOCOL_INFOW Info { get; }
    public uint Flags { get; }
    public SOCKET Handle { get; private set; } = SOCKET.Invalid;
    public NetworkEventRecord Events { get; }

    public bool IsStream => Info.iSocketType == Ws2Spi.SOCK_STREAM;
    public bool IsDatagram => !IsStream;
    public bool OverlappedCapable => (Flags & Ws2Spi.WSA_FLAG_OVERLAPPED) != 0;
    public bool NonBlocking { get; set; }
    public bool IsClosed => _closed;
    public bool IsConnected => _conn == ConnState.Connected;

    // Options the provider applies itself.
    public int RecvTimeoutMs, SendTimeoutMs;
    public bool ConditionalAccept, OobInline, ReuseAddressSet;
    public int RecvBufferSet = -1, SendBufferSet = -1; // -1: never set, the kernel's size answers

    /// <summary>The address family in Windows numbering.</summary>
    public int Family => Info.iAddressFamily;

    public void AttachHandle(SOCKET handle)
    {
        Handle = handle;
        Events.Socket = handle;
    }

    private int DatagramAware(int errno) => Errno.ToWinsock(errno, IsDatagram);

    // ---- reactor ----

    public void OnReady(uint events)
    {
        ThreadContext[] wake;
        if ((events & Libc.EPOLLPRI) != 0) _urgentHint = true; // before the lock: a receive about to start sees it sooner
        lock (Gate)
        {
            if (_closed) return;
            if (_conn == ConnState.Connecting && (events & (Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP)) != 0)
                FinishConnect();
            FinishConnectEx();
            PumpAcceptEx();
            PumpReceives();
            PumpSends();
            FinishTransmitFile();
            if ((events & Libc.EPOLLOUT) != 0 && _writeBlocked && _sendQ.IsEmpty && WritableNow())
            {
                _writeBlocked = false;
                Events.Signal(Ws2Spi.FD_WRITE, 0, edge: true);
            }
            RefreshEvents(events);
            wake = _readyWaiters.Snapshot();
        }
        ReadyWaiters.Wake(wake);
        RioOnReady(events); // InetSocket.Rio.cs
    }

    /// <summary>Adds a thread to be woken on any readiness change (select, blocking accept and connect).</summary>
    public void AddReadyWaiter(ThreadContext ctx)
    {
        lock (Gate)
        {
            _readyWaiters.Add(ctx);
            _selecting++;
            WatchInput(); // InetSocket.QuietInput.cs
        }
    }

    public void RemoveReadyWaiter(ThreadContext ctx)
    {
        lock (Gate)
        {
            _readyWaiters.Remove(ctx);
            _selecting--;
        }
    }

    private bool WritableNow() => (SocketCalls.PollNow(_handle, Libc.POLLOUT) & Libc.POLLOUT) != 0;

    /// <summary>
    /// Records the network events whose condition holds now (level-triggered FD_READ, FD_OOB, FD_ACCEPT;
    /// FD_CLOSE once all data was read). Called after every readiness change and every re-enabling call;
    /// <paramref name="edges"/> are the reactor's readiness bits when a change brought it here (EPOLLIN: a new
    /// connection or new data, EPOLLPRI: new urgent data), which record an event a re-selection re-armed.
    /// </summary>
    private void RefreshEvents(uint edges = 0)
    {
        if (!Events.Active || _closed) return;
        bool newInput = (edges & Libc.EPOLLIN) != 0, newUrgent = (edges & Libc.EPOLLPRI) != 0;
        short rev = SocketCalls.PollNow(_handle, (short)(Libc.POLLIN | Libc.POLLPRI | Libc.POLLRDHUP));
        if (_listening)
        {
            if (_backlog.Count > 0 || (rev & Libc.POLLIN) != 0) Events.Signal(Ws2Spi.FD_ACCEPT, 0, newInput);
            return;
        }
        if (IsDatagram)
        {
            if (_recvQ.IsEmpty && (rev & Libc.POLLIN) != 0) Events.Signal(Ws2Spi.FD_READ, 0, newInput);
            return;
        }
        if (_conn != ConnState.Connected || !_recvQ.IsEmpty) return;
        if (UrgentPending(rev))
            Events.Signal(Ws2Spi.FD_OOB, 0, newUrgent);
        if (_recvShut) return;
        int available = SocketCalls.BytesAvailable(_handle);
        if (available > 0)
        {
            Events.Signal(Ws2Spi.FD_READ, 0, newInput);
            return;
        }
        if ((rev & Libc.POLLERR) != 0) TakeSocketError();
        if (_closeSignaled) return;
        if (_sockError != 0)
        {
            // An abortive close by the peer (RST) is FD_CLOSE with WSAECONNABORTED, as Windows records it (Wine's
            // test_close_events); recv on the socket still fails with the connection's own error (WSAECONNRESET).
            _closeSignaled = Events.Signal(Ws2Spi.FD_CLOSE, Ws2Spi.WSAECONNABORTED);
        }
        else if (_eof || (rev & (Libc.POLLIN | Libc.POLLRDHUP | Libc.POLLHUP)) != 0)
        {
            _closeSignaled = Events.Signal(Ws2Spi.FD_CLOSE, 0);
        }
    }

    /// <summary>Moves the kernel's pending socket error into the sticky connection error.</summary>
    private void TakeSocketError()
    {
        int e = SocketCalls.SocketError(_handle);
        if (e != 0 && _sockError == 0) _sockError = DatagramAware(e);
    }

    /// <summary>
    /// The selection was (re)made: record what is already true (SPEC §5). An event selection on a socket that
    /// connected by connect records FD_CONNECT too (once: it is never re-enabled), as Windows does — a window
    /// selection does not post it again (Wine's test_connect_events).
    /// </summary>
    public void OnSelectionChanged()
    {
        WatchInput(); // InetSocket.QuietInput.cs
        if (_connectedByConnect && IsConnected && Events.ByEvent) Events.Signal(Ws2Spi.FD_CONNECT, 0);
        if ((IsConnected || (IsDatagram && _bound)) && WritableNow()) Events.Signal(Ws2Spi.FD_WRITE, 0);
        RefreshEvents();
    }

    // ---- lifetime ----

    /// <summary>closesocket: pending overlapped requests complete with WSA_OPERATION_ABORTED, blocked calls with WSAEINTR.</summary>
    public void Close()
    {
        ThreadContext[] wake;
        lock (Gate)
        {
            if (_closed) return;
            _closed = true;
            Reactor.Shared.Unregister(_fd, _reactorId);
            _recvQ.AbortAll();
            _sendQ.AbortAll();
            AbortAcceptEx();
            AbortConnectEx();
            foreach (var s in _backlog) s.Dispose();
            _backlog.Clear();
            wake = _readyWaiters.Snapshot();
        }
        CancelOwnAcceptEx();
        RioClose(); // InetSocket.Rio.cs: outstanding Registered I/O requests abort
        try { _os.Dispose(); }
        catch (Exception e) { Diagnostics.InternalFailure("close", e); }
        ReadyWaiters.Wake(wake);
    }

    /// <summary>The kernel's local address (also after an implicit bind by connect or sendto), or null.</summary>
    public IPEndPoint? LocalEndPoint => _closed ? null : SocketCalls.EndPoint(_handle, peer: false);

    /// <summary>The kernel's peer address (also after a connect made through libc), or null when not connected.</summary>
    public IPEndPoint? RemoteEndPoint => _closed ? null : SocketCalls.EndPoint(_handle, peer: true);

    public Socket OsSocket => _os;
}
