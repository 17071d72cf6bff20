using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>
/// The join baseline: the initiator connects, sends a 64-byte request and waits for the 64-byte response; the
/// listening side accepts on its own thread, answers and keeps the connection. Leaf-initiated and root-initiated are
/// the same exchange with the roles swapped (on raw TCP the listening side is the root, or the leaf).
/// </summary>
public sealed class SocketJoin : IJoinSubject
{
    private const int MessageBytes = 64;
    private readonly Socket _listener = Loopback.Listen(1024);
    private readonly List<Socket> _held = [];
    private readonly Lock _gate = new();
    private readonly byte[] _request = new byte[MessageBytes];
    private readonly byte[] _response = new byte[MessageBytes];
    private Thread? _acceptor;

    public void Open(bool leafInitiated)
    {
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "join-listener" };
        _acceptor.Start();
    }

    public void JoinOne()
    {
        var s = Loopback.Tcp();
        lock (_gate) _held.Add(s);
        s.ReceiveTimeout = 10_000;
        s.Connect(Loopback.EndPoint(_listener));
        s.Send(_request);
        if (!Loopback.ReceiveExactly(s, _response)) throw new InvalidOperationException("join: no response");
    }

    public void Dispose()
    {
        _listener.Dispose();
        _acceptor?.Join(5_000);
        lock (_gate) foreach (var s in _held) Loopback.Abort(s);
    }

    private void Accept()
    {
        var request = new byte[MessageBytes];
        var response = new byte[MessageBytes];
        try
        {
            while (true)
            {
                var s = _listener.Accept();
                lock (_gate) _held.Add(s);
                s.NoDelay = true;
                s.ReceiveTimeout = 10_000;
                if (Loopback.ReceiveExactly(s, request)) s.Send(response);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { } // listener closed: done
    }
}
