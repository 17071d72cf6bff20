using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// An echo server written as a Winsock IOCP server is: accept on its own thread, each accepted socket associated with
/// one port (its key is the connection's number), one overlapped receive or send outstanding per connection, and worker
/// threads that take completions with GetQueuedCompletionStatus (or, <see cref="UseEx"/>, GetQueuedCompletionStatusEx)
/// and post the next operation. Closing the port ends the workers (their waits return ERROR_ABANDONED_WAIT_0, later
/// ones ERROR_INVALID_HANDLE).
/// </summary>
internal sealed class IocpEchoServer : IDisposable
{
    private const int BufferSize = 4096;

    private sealed class Connection(SOCKET s)
    {
        public readonly SOCKET S = s;
        public readonly byte[] Buffer = new byte[BufferSize];
        public readonly WSAOVERLAPPED RecvOv = new(), SendOv = new();
        public int SendLength, Sent;
    }

    private readonly HANDLE _port;
    private readonly SOCKET _listener;
    private readonly List<Connection> _connections = new();
    private readonly Thread _acceptor;
    private readonly Thread[] _workers;
    private int _failures, _closed, _maxEntries, _batchedCalls;
    private long _bytesEchoed;

    public IocpEchoServer(int workers, bool useEx)
    {
        UseEx = useEx;
        _port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0) ?? throw new InvalidOperationException($"port: {GetLastError()}");
        _listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        var any = SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        if (bind(_listener, any, any.Length) != 0 || listen(_listener, SOMAXCONN) != 0)
            throw new InvalidOperationException($"listener: {WSAGetLastError()}");
        var name = new byte[16];
        int len = name.Length;
        getsockname(_listener, name, ref len);
        Address = name;
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "iocp-accept" };
        _acceptor.Start();
        _workers = Enumerable.Range(0, workers).Select(i => new Thread(Work) { IsBackground = true, Name = $"iocp-worker-{i}" }).ToArray();
        foreach (var w in _workers) w.Start();
    }

    public bool UseEx { get; }
    public byte[] Address { get; }
    /// <summary>Operations that failed, and other surprises (a packet no connection owns).</summary>
    public int Failures => Volatile.Read(ref _failures);
    /// <summary>Connections that ended (the client closed).</summary>
    public int Closed => Volatile.Read(ref _closed);
    public long BytesEchoed => Interlocked.Read(ref _bytesEchoed);
    /// <summary>The most entries one GetQueuedCompletionStatusEx call returned, and how many calls returned more than one.</summary>
    public int MaxEntries => Volatile.Read(ref _maxEntries);
    public int BatchedCalls => Volatile.Read(ref _batchedCalls);

    private void Accept()
    {
        while (true)
        {
            var s = accept(_listener);
            if (!s.IsValid) return; // the listener was closed
            Connection c;
            lock (_connections)
            {
                c = new Connection(s);
                _connections.Add(c);
                if (CreateIoCompletionPort((HANDLE)s, _port, (nuint)(_connections.Count - 1), 0) is null) Interlocked.Increment(ref _failures);
            }
            PostReceive(c);
        }
    }

    private void PostReceive(Connection c)
    {
        uint flags = 0;
        if (WSARecv(c.S, [new WSABUF(c.Buffer)], 1, out _, ref flags, c.RecvOv, null) == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING)
            End(c, failed: true);
    }

    private void PostSend(Connection c)
    {
        if (WSASend(c.S, [new WSABUF(c.Buffer, (uint)(c.SendLength - c.Sent))], 1, out _, 0, c.SendOv, null) == SOCKET_ERROR
            && WSAGetLastError() != WSA_IO_PENDING)
            End(c, failed: true);
    }

    private void Work()
    {
        var entries = new OVERLAPPED_ENTRY[32];
        while (true)
        {
            if (UseEx)
            {
                if (!GetQueuedCompletionStatusEx(_port, entries, (uint)entries.Length, out uint n, INFINITE, false)) return;
                if (n > 1) Interlocked.Increment(ref _batchedCalls);
                for (int seen = _maxEntries; n > seen && Interlocked.CompareExchange(ref _maxEntries, (int)n, seen) != seen; seen = _maxEntries) { }
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

    /// <summary>One completion: the connection's next operation.</summary>
    private void Handle(nuint key, WSAOVERLAPPED? ov, uint bytes, bool ok)
    {
        Connection c;
        lock (_connections) c = _connections[(int)key];
        if (ReferenceEquals(ov, c.RecvOv))
        {
            if (!ok || bytes == 0) { End(c, failed: !ok); return; }
            c.SendLength = (int)bytes;
            c.Sent = 0;
            PostSend(c);
        }
        else if (ReferenceEquals(ov, c.SendOv))
        {
            if (!ok) { End(c, failed: true); return; }
            Interlocked.Add(ref _bytesEchoed, bytes);
            c.Sent += (int)bytes;
            if (c.Sent < c.SendLength)
            {
                System.Buffer.BlockCopy(c.Buffer, (int)bytes, c.Buffer, 0, c.SendLength - c.Sent); // the rest to the front
                PostSend(c);
            }
            else PostReceive(c);
        }
        else Interlocked.Increment(ref _failures);
    }

    private void End(Connection c, bool failed)
    {
        if (failed) Interlocked.Increment(ref _failures);
        closesocket(c.S);
        Interlocked.Increment(ref _closed);
    }

    public void Dispose()
    {
        closesocket(_listener);
        _acceptor.Join(10_000);
        CloseHandle(_port);
        foreach (var w in _workers) w.Join(10_000);
        lock (_connections) foreach (var c in _connections) closesocket(c.S);
    }
}
