using System.Net;
using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>The IOCP suite's baseline: a raw .NET echo server, one async receive/send loop per connection (System.Net.Sockets).</summary>
public sealed class SocketEcho : IEchoServer
{
    private readonly List<Socket> _accepted = new();
    private Socket? _listener;
    private Task? _acceptLoop;

    public IPEndPoint Start()
    {
        _listener = Loopback.Listen();
        var listener = _listener;
        _acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var s = await listener.AcceptAsync();
                    s.NoDelay = true;
                    lock (_accepted) _accepted.Add(s);
                    _ = Echo(s);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        return Loopback.EndPoint(listener);
    }

    private static async Task Echo(Socket s)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                for (int sent = 0; sent < n;) sent += await s.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _acceptLoop?.Wait(5_000);
        lock (_accepted) foreach (var s in _accepted) s.Dispose();
    }
}
