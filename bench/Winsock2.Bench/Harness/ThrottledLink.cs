using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Winsock2.Bench.Harness;

/// <summary>
/// A slow link without netem: a userspace TCP forwarder on loopback in front of one peer. It accepts one connection,
/// connects it to the target, and copies target → peer at a fixed rate (4 KiB reads, paced), peer → target freely.
/// </summary>
public sealed class ThrottledLink : IDisposable
{
    private readonly Socket _listener = Loopback.Listen(1);
    private readonly IPEndPoint _target;
    private readonly int _bytesPerSecond;
    private readonly List<Socket> _open = [];
    private volatile bool _stopped;

    public ThrottledLink(IPEndPoint target, int bytesPerSecond)
    {
        _target = target;
        _bytesPerSecond = bytesPerSecond;
        new Thread(Serve) { IsBackground = true, Name = "throttled-link" }.Start();
    }

    /// <summary>Where the slow peer connects instead of the target.</summary>
    public IPEndPoint EndPoint => Loopback.EndPoint(_listener);

    private void Serve()
    {
        try
        {
            var near = _listener.Accept();
            var far = Loopback.Tcp();
            far.Connect(_target);
            lock (_open) { _open.Add(near); _open.Add(far); }
            new Thread(() => Copy(near, far, 0)) { IsBackground = true, Name = "throttled-link-up" }.Start();
            Copy(far, near, _bytesPerSecond);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private void Copy(Socket from, Socket to, int rate)
    {
        var buf = new byte[rate == 0 ? 64 * 1024 : 4096];
        var clock = Stopwatch.StartNew();
        long moved = 0;
        try
        {
            while (!_stopped)
            {
                long ahead = rate == 0 ? 0 : moved * 1000 / rate - clock.ElapsedMilliseconds;
                if (ahead > 0) { Thread.Sleep((int)Math.Min(ahead, 100)); continue; } // the link's pace
                int n = from.Receive(buf);
                if (n == 0) break;
                to.Send(buf, n, SocketFlags.None);
                moved += n;
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        try { to.Shutdown(SocketShutdown.Send); } catch (SocketException) { } catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        if (_stopped) return;
        _stopped = true;
        _listener.Dispose();
        lock (_open) foreach (var s in _open) Loopback.Abort(s);
    }
}
