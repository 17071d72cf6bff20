using System.Collections.Concurrent;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>The timer behind heartbeats, dead-peer detection and join deadlines; ticks only while connections exist.</summary>
internal static class Heartbeats
{
    private static readonly ConcurrentDictionary<Connection, byte> Live = new();
    private static readonly object Gate = new();
    private static Timer? _timer;

    /// <summary>How often connections are checked (ms).</summary>
    public const int TickMs = 100;

    public static void Add(Connection c)
    {
        Live.TryAdd(c, 0);
        lock (Gate) _timer ??= new Timer(_ => Tick(), null, TickMs, TickMs);
    }

    public static void Remove(Connection c) => Live.TryRemove(c, out _);

    private static long _lastTick = Environment.TickCount64;

    private static void Tick()
    {
        try
        {
            long now = Environment.TickCount64;
            // If this timer itself was starved (GC pause, a loaded machine), the silence it sees is ours, not the
            // peers': give every connection that much grace before judging it.
            long stall = Math.Max(0, now - Interlocked.Exchange(ref _lastTick, now) - 2 * TickMs);
            foreach (var c in Live.Keys)
            {
                if (c.IsTerminated) { Live.TryRemove(c, out _); continue; }
                if (stall > 0) c.LastReceived += stall;
                c.Tick(now);
            }
            lock (Gate)
            {
                if (Live.IsEmpty && _timer is not null) { _timer.Dispose(); _timer = null; }
            }
        }
        catch (Exception e) { Diagnostics.InternalFailure("heartbeat", e); }
    }
}
