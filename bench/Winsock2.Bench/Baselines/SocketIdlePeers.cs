using System.Net;
using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>
/// The memory baseline: a .NET server holding idle connected peers — each accepted Socket with a pending zero-byte
/// ReceiveAsync (the way servers wait for an idle connection without pinning a buffer).
/// </summary>
public sealed class SocketIdlePeers : IMemorySubject
{
    private readonly List<Socket> _accepted = [];
    private readonly List<ValueTask<int>> _pending = [];
    private Socket? _listener;

    public string ChildRole => "socket-peers";

    public IPEndPoint Open()
    {
        _listener = Loopback.Listen(1024);
        return Loopback.EndPoint(_listener);
    }

    public bool WaitJoined(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_accepted.Count < count)
        {
            if (DateTime.UtcNow > deadline || !_listener!.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectRead)) 
            {
                if (DateTime.UtcNow > deadline) return false;
                continue;
            }
            var s = _listener.Accept();
            _accepted.Add(s);
            _pending.Add(s.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None));
        }
        return true;
    }

    /// <summary>Each accepted socket, nonblocking, is written until the kernel refuses more (its buffers are all there is).</summary>
    public long Flood(long cap)
    {
        var msg = new byte[16_384];
        long sent = 0;
        foreach (var s in _accepted)
        {
            s.Blocking = false;
            while (sent < cap)
            {
                int n = s.Send(msg, 0, msg.Length, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock) break;
                if (error != SocketError.Success) throw new SocketException((int)error);
                sent += n;
            }
        }
        return sent;
    }

    public void Dispose()
    {
        foreach (var s in _accepted) Loopback.Abort(s);
        _listener?.Dispose();
        _pending.Clear();
    }
}
