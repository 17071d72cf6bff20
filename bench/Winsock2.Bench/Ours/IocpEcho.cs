using System.Net;
using Winsock2.Bench.Suites;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// The IOCP echo server as a Winsock program writes it: accept on one thread, each connection associated with one port
/// (key = its number), one overlapped WSARecv or WSASend outstanding per connection, one worker per processor taking
/// completions with GetQueuedCompletionStatus. Closing the port ends the workers.
/// </summary>
public sealed class IocpEcho : IEchoServer
{
    private sealed class Conn(SOCKET s)
    {
        public readonly SOCKET S = s;
        public readonly byte[] Buffer = new byte[16 * 1024];
        public readonly WSABUF[] Bufs = [new WSABUF()];
        public readonly WSAOVERLAPPED Recv = new(), Send = new();
        public int Length, Sent;
    }

    private readonly List<Conn> _conns = new();
    private HANDLE? _port;
    private SOCKET _listener = INVALID_SOCKET;
    private Thread? _acceptor;
    private Thread[] _workers = [];

    public IPEndPoint Start()
    {
        _port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0) ?? throw new InvalidOperationException($"port: {GetLastError()}");
        _listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        var any = SockAddr.From(new IPEndPoint(IPAddress.Loopback, 0));
        if (bind(_listener, any, any.Length) != 0 || listen(_listener, SOMAXCONN) != 0)
            throw new InvalidOperationException($"listen: {WSAGetLastError()}");
        var name = new byte[16];
        int len = name.Length;
        getsockname(_listener, name, ref len);
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "iocp-accept" };
        _acceptor.Start();
        _workers = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(i => new Thread(Work) { IsBackground = true, Name = $"iocp-worker-{i}" }).ToArray();
        foreach (var w in _workers) w.Start();
        return SockAddr.ToEndPoint(name);
    }

    private void Accept()
    {
        while (accept(_listener) is { IsValid: true } s)
        {
            var nodelay = BitConverter.GetBytes(1);
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, nodelay, 4);
            var c = new Conn(s);
            nuint key;
            lock (_conns)
            {
                _conns.Add(c);
                key = (nuint)(_conns.Count - 1);
            }
            if (CreateIoCompletionPort((HANDLE)s, _port, key, 0) is null) { closesocket(s); continue; }
            PostRecv(c);
        }
    }

    private static void PostRecv(Conn c)
    {
        uint flags = 0;
        c.Bufs[0].buf = c.Buffer;
        c.Bufs[0].len = (uint)c.Buffer.Length;
        if (WSARecv(c.S, c.Bufs, 1, out _, ref flags, c.Recv, null) != 0 && WSAGetLastError() != WSA_IO_PENDING) closesocket(c.S);
    }

    private static void PostSend(Conn c)
    {
        c.Bufs[0].buf = c.Buffer;
        c.Bufs[0].len = (uint)(c.Length - c.Sent);
        if (WSASend(c.S, c.Bufs, 1, out _, 0, c.Send, null) != 0 && WSAGetLastError() != WSA_IO_PENDING) closesocket(c.S);
    }

    private void Work()
    {
        while (true)
        {
            bool ok = GetQueuedCompletionStatus(_port!, out uint bytes, out nuint key, out var ov, INFINITE);
            if (ov is null) return; // the port was closed
            Conn c;
            lock (_conns) c = _conns[(int)key];
            if (!ok || (ov == c.Recv && bytes == 0)) { closesocket(c.S); continue; }
            if (ov == c.Recv)
            {
                c.Length = (int)bytes;
                c.Sent = 0;
                PostSend(c);
            }
            else if ((c.Sent += (int)bytes) < c.Length)
            {
                Buffer.BlockCopy(c.Buffer, (int)bytes, c.Buffer, 0, c.Length - c.Sent);
                PostSend(c);
            }
            else PostRecv(c);
        }
    }

    public void Dispose()
    {
        closesocket(_listener);
        _acceptor?.Join(5_000);
        if (_port is not null) CloseHandle(_port);
        foreach (var w in _workers) w.Join(5_000);
        lock (_conns) foreach (var c in _conns) closesocket(c.S);
    }
}
