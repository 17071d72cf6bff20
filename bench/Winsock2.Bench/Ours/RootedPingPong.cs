using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>Our latency subject: the root sends a message to its one leaf, the leaf's thread sends it back to the root.</summary>
public sealed class RootedPingPong : ILatencySubject
{
    private readonly List<SOCKET> _sockets = [];
    private SOCKET _root = INVALID_SOCKET;
    private Thread? _echo;
    private byte[] _buffer = [];

    public void Open(int messageSize)
    {
        _buffer = new byte[messageSize];
        _root = Rooted.Root();
        _sockets.Add(_root);
        var addr = Rooted.ListenOnLoopback(_root, 1);
        SOCKET handle = INVALID_SOCKET;
        var acceptor = new Thread(() => handle = accept(_root)) { IsBackground = true };
        acceptor.Start();
        var leaf = Rooted.Leaf();
        _sockets.Add(leaf);
        Rooted.Valid(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH), "WSAJoinLeaf");
        if (!acceptor.Join(10_000) || !handle.IsValid) throw new InvalidOperationException("root did not accept the leaf");
        _sockets.Add(handle);
        Rooted.Ok(setsockopt(_root, SOL_SOCKET, SO_RCVTIMEO, 10_000), "setsockopt(SO_RCVTIMEO)");
        _echo = new Thread(() =>
        {
            var b = new byte[messageSize];
            int n;
            while ((n = recv(leaf, b, b.Length, 0)) > 0)
                if (send(leaf, b, n, 0) != n) return;
        }) { IsBackground = true, Name = "rooted-echo" };
        _echo.Start();
    }

    public void RoundTrip()
    {
        if (send(_root, _buffer, _buffer.Length, 0) != _buffer.Length) throw Rooted.Failed("send(root)");
        if (recv(_root, _buffer, _buffer.Length, 0) != _buffer.Length) throw Rooted.Failed("recv(root)");
    }

    public void Dispose()
    {
        if (_root.IsValid) shutdown(_root, SD_SEND); // the leaf's recv ends with WSAEDISCON
        _echo?.Join(5_000);
        Rooted.Close(_sockets);
    }
}
