using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// An echo server written as a Winsock IOCP server with AcceptEx is: the listener is associated with the port (key
/// <see cref="ListenerKey"/>), several AcceptEx are posted on it, each with its own accept socket and a first-data
/// buffer, and each completed one is replaced by a new one. An accepted socket gets SO_UPDATE_ACCEPT_CONTEXT, is
/// associated with the port under its connection's number, echoes its first data and then one receive or send at a
/// time. Every operation carries its own per-I/O record (a WSAOVERLAPPED subclass) that comes back from the port as
/// the same object. Worker threads take completions with GetQueuedCompletionStatus or GetQueuedCompletionStatusEx.
/// </summary>
internal sealed class IocpAcceptExServer : IDisposable
{
    public const nuint ListenerKey = 0xFFFF_FFFF;
    private const int BufferSize = 4096;
    private const uint AddrBlock = 16 + 16;

    private enum Op { Accept, Recv, Send }

    /// <summary>The per-I/O record: the OVERLAPPED first, then what the operation needs.</summary>
    private sealed class PerIo(Op op, Connection? conn) : WSAOVERLAPPED
    {
        public readonly Op Op = op;
        public readonly Connection? Conn = conn;
        /// <summary>An AcceptEx's accept socket and output buffer (first data, then both address blocks).</summary>
        public SOCKET AcceptSocket;
        public readonly byte[] AcceptBuffer = op == Op.Accept ? new byte[BufferSize + 2 * AddrBlock] : [];
    }

    private sealed class Connection(SOCKET s, int id)
    {
        public readonly SOCKET S = s;
        public readonly int Id = id;
        public readonly byte[] Buffer = new byte[BufferSize];
        public int SendLength, Sent;
        public PerIo? RecvIo, SendIo;
        public int Ended;
    }

    private readonly HANDLE _port;
    private readonly SOCKET _listener;
    private readonly byte[] _listenerHandle;
    private readonly LPFN_ACCEPTEX _acceptEx;
    private readonly List<Connection> _connections = new();
    private readonly HashSet<SOCKET> _acceptSockets = new();
    private readonly Thread[] _workers;
    private volatile bool _stopping;
    private int _failures, _closed, _accepted;
    private long _bytesEchoed;

    public IocpAcceptExServer(int workers, int acceptsPosted, bool useEx)
    {
        UseEx = useEx;
        _port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0) ?? throw new InvalidOperationException($"port: {GetLastError()}");
        _listener = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED);
        var any = SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        if (bind(_listener, any, any.Length) != 0 || listen(_listener, SOMAXCONN) != 0)
            throw new InvalidOperationException($"listener: {WSAGetLastError()}");
        var name = new byte[16];
        int len = name.Length;
        getsockname(_listener, name, ref len);
        Address = name;
        _listenerHandle = BitConverter.GetBytes((ulong)_listener.Value);
        if (CreateIoCompletionPort((HANDLE)_listener, _port, ListenerKey, 0) is null)
            throw new InvalidOperationException($"associate listener: {GetLastError()}");
        if (WSAIoctl(_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? fn, out _, null, null) != 0)
            throw new InvalidOperationException($"AcceptEx: {WSAGetLastError()}");
        _acceptEx = fn!;
        _workers = Enumerable.Range(0, workers).Select(i => new Thread(Work) { IsBackground = true, Name = $"iocp-acceptex-{i}" }).ToArray();
        foreach (var w in _workers) w.Start();
        for (int i = 0; i < acceptsPosted; i++) PostAccept();
    }

    public bool UseEx { get; }
    public byte[] Address { get; }
    /// <summary>Operations that failed, and other surprises (a packet that is not one of ours, a wrong key).</summary>
    public int Failures => Volatile.Read(ref _failures);
    /// <summary>Connections that ended (the client closed).</summary>
    public int Closed => Volatile.Read(ref _closed);
    /// <summary>Connections AcceptEx completed.</summary>
    public int Accepted => Volatile.Read(ref _accepted);
    public long BytesEchoed => Interlocked.Read(ref _bytesEchoed);

    private void Fail() => Interlocked.Increment(ref _failures);

    private void PostAccept()
    {
        var a = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED);
        if (!a.IsValid) { Fail(); return; }
        lock (_acceptSockets) _acceptSockets.Add(a);
        var io = new PerIo(Op.Accept, null) { AcceptSocket = a };
        if (!_acceptEx(_listener, a, io.AcceptBuffer, BufferSize, AddrBlock, AddrBlock, out _, io) && WSAGetLastError() != ERROR_IO_PENDING)
        {
            if (!_stopping) Fail();
            CloseAcceptSocket(a);
        }
    }

    /// <summary>Closes an accept socket this server still owns (once: a handle value is never closed twice).</summary>
    private void CloseAcceptSocket(SOCKET a)
    {
        bool mine;
        lock (_acceptSockets) mine = _acceptSockets.Remove(a);
        if (mine) closesocket(a);
    }

    private void Work()
    {
        var entries = new OVERLAPPED_ENTRY[16];
        while (true)
        {
            if (UseEx)
            {
                if (!GetQueuedCompletionStatusEx(_port, entries, (uint)entries.Length, out uint n, INFINITE, false)) return;
                for (int i = 0; i < n; i++)
                    Handle(entries[i].lpCompletionKey, entries[i].lpOverlapped, entries[i].dwNumberOfBytesTransferred, entries[i].Internal == 0);
            }
            else
            {
                bool ok = GetQueuedCompletionStatus(_port, out uint bytes, out nuint key, out var ov, INFINITE);
                if (!ok && ov is null) return; // the port was closed
                Handle(key, ov, bytes, ok);
            }
        }
    }

    private void Handle(nuint key, WSAOVERLAPPED? ov, uint bytes, bool ok)
    {
        if (ov is not PerIo io) { Fail(); return; }
        if (io.Op == Op.Accept)
        {
            if (key != ListenerKey) Fail(); // AcceptEx completes for the listening socket
            OnAccepted(io, bytes, ok);
            return;
        }
        var c = io.Conn!;
        if (key != (nuint)c.Id) Fail();
        if (io.Op == Op.Recv)
        {
            if (!ok || bytes == 0) { End(c, failed: !ok); return; }
            c.SendLength = (int)bytes;
            c.Sent = 0;
            PostSend(c);
        }
        else
        {
            if (!ok) { End(c, failed: true); return; }
            Interlocked.Add(ref _bytesEchoed, bytes);
            c.Sent += (int)bytes;
            if (c.Sent < c.SendLength)
            {
                System.Buffer.BlockCopy(c.Buffer, (int)bytes, c.Buffer, 0, c.SendLength - c.Sent);
                c.SendLength -= c.Sent;
                c.Sent = 0;
                PostSend(c);
            }
            else PostReceive(c);
        }
    }

    /// <summary>An AcceptEx completed: the connection is set up and echoes its first data; a new AcceptEx takes its place.</summary>
    private void OnAccepted(PerIo io, uint bytes, bool ok)
    {
        var a = io.AcceptSocket;
        if (!ok)
        {
            if (!_stopping) Fail();
            CloseAcceptSocket(a);
            return;
        }
        lock (_acceptSockets) _acceptSockets.Remove(a);
        if (!_stopping) PostAccept();
        Interlocked.Increment(ref _accepted);
        Connection c;
        lock (_connections)
        {
            c = new Connection(a, _connections.Count);
            _connections.Add(c);
        }
        if (setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, _listenerHandle, _listenerHandle.Length) != 0
            || CreateIoCompletionPort((HANDLE)a, _port, (nuint)c.Id, 0) is null)
        {
            End(c, failed: true);
            return;
        }
        c.RecvIo = new PerIo(Op.Recv, c);
        c.SendIo = new PerIo(Op.Send, c);
        if (bytes == 0) { End(c, failed: false); return; } // the client closed before sending anything
        System.Buffer.BlockCopy(io.AcceptBuffer, 0, c.Buffer, 0, (int)bytes);
        c.SendLength = (int)bytes;
        c.Sent = 0;
        PostSend(c);
    }

    private void PostReceive(Connection c)
    {
        uint flags = 0;
        if (WSARecv(c.S, [new WSABUF(c.Buffer)], 1, out _, ref flags, c.RecvIo, null) == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING)
            End(c, failed: true);
    }

    private void PostSend(Connection c)
    {
        if (WSASend(c.S, [new WSABUF(c.Buffer, (uint)c.SendLength)], 1, out _, 0, c.SendIo, null) == SOCKET_ERROR
            && WSAGetLastError() != WSA_IO_PENDING)
            End(c, failed: true);
    }

    private void End(Connection c, bool failed)
    {
        if (Interlocked.Exchange(ref c.Ended, 1) != 0) return;
        if (failed && !_stopping) Fail();
        closesocket(c.S);
        Interlocked.Increment(ref _closed);
    }

    public void Dispose()
    {
        _stopping = true;
        closesocket(_listener); // the AcceptEx still posted complete aborted
        CloseHandle(_port);
        foreach (var w in _workers) w.Join(10_000);
        lock (_connections) foreach (var c in _connections) End(c, failed: false);
        SOCKET[] left;
        lock (_acceptSockets) left = [.. _acceptSockets];
        foreach (var a in left) CloseAcceptSocket(a);
    }
}
