using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>The latency baseline: a raw TCP ping-pong (TCP_NODELAY), the echo side on its own thread with blocking calls.</summary>
public sealed class SocketPingPong : ILatencySubject
{
    private Socket? _client, _server;
    private Thread? _echo;
    private byte[] _buffer = [];

    public void Open(int messageSize)
    {
        _buffer = new byte[messageSize];
        using var listener = Loopback.Listen(1);
        _client = Loopback.Tcp();
        _client.ReceiveTimeout = 10_000;
        _client.Connect(Loopback.EndPoint(listener));
        _server = listener.Accept();
        _server.NoDelay = true;
        var server = _server;
        _echo = new Thread(() =>
        {
            var b = new byte[messageSize];
            try
            {
                while (Loopback.ReceiveExactly(server, b)) server.Send(b);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }) { IsBackground = true, Name = "pingpong-echo" };
        _echo.Start();
    }

    public void RoundTrip()
    {
        _client!.Send(_buffer);
        if (!Loopback.ReceiveExactly(_client, _buffer)) throw new InvalidOperationException("echo side closed");
    }

    public void Dispose()
    {
        _client?.Shutdown(SocketShutdown.Both);
        _echo?.Join(5_000);
        _client?.Dispose();
        _server?.Dispose();
    }
}
