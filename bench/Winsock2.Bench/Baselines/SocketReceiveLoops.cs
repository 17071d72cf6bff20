using System.Net;
using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>The receive-path baselines: a System.Net.Sockets client with the same receive buffer size as ours.</summary>
public abstract class SocketReceiveLoop : IReceiveLoop
{
    protected Socket Socket { get; private set; } = null!;

    public void Connect(IPEndPoint feeder, int receiveBufferBytes)
    {
        Socket = Loopback.Tcp();
        Socket.ReceiveBufferSize = receiveBufferBytes; // before connect, so the window scale matches ours
        Socket.ReceiveTimeout = 20_000;
        Socket.Connect(feeder);
    }

    public abstract string? ReceiveAll(long total, int size, bool verify);

    public void Dispose() => Socket?.Dispose();
}

/// <summary>Socket.Receive (blocking), one call per message.</summary>
public sealed class SocketReceive : SocketReceiveLoop
{
    public override string? ReceiveAll(long total, int size, bool verify)
    {
        var buf = new byte[size];
        long got = 0;
        while (got < total)
        {
            int n = Socket.Receive(buf, 0, (int)Math.Min(size, total - got), SocketFlags.None);
            if (n <= 0) return $"Socket.Receive returned {n} after {got} of {total} bytes";
            if (verify && !ReceiveFeed.Verify(buf.AsSpan(0, n), got)) return $"wrong bytes at stream offset {got}";
            got += n;
        }
        return null;
    }
}

/// <summary>Socket.ReceiveAsync(Memory) awaited as a ValueTask, one call per message.</summary>
public sealed class SocketReceiveAsync : SocketReceiveLoop
{
    public override string? ReceiveAll(long total, int size, bool verify)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return Loop(total, size, verify, cts.Token).GetAwaiter().GetResult();
    }

    private async Task<string?> Loop(long total, int size, bool verify, CancellationToken ct)
    {
        var buf = new byte[size];
        long got = 0;
        while (got < total)
        {
            int n = await Socket.ReceiveAsync(buf.AsMemory(0, (int)Math.Min(size, total - got)), SocketFlags.None, ct);
            if (n <= 0) return $"ReceiveAsync returned {n} after {got} of {total} bytes";
            if (verify && !ReceiveFeed.Verify(buf.AsSpan(0, n), got)) return $"wrong bytes at stream offset {got}";
            got += n;
        }
        return null;
    }
}
