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
        lock (Gate)
        {
            if (_timer is not null) return;
            // A new timer starts its own clock: the time no timer ran (no connections) is not a stall to forgive.
            Interlocked.Exchange(ref _lastTick, Environment.TickCount64);
            _timer = new Timer(_ => Tick(), null, TickMs, TickMs);
        }
    }

    public static void Remove(Connection c) => Live.TryRemove(c, out _);

    private static long _lastTick = Environment.TickCount64;

    /// <summary>True while no timer runs (no connections): tests and diagnostics.</summary>
    internal static bool Idle { get { lock (Gate) return _timer is null; } }

    /// <summary>Test seam: moves the last tick back, as a long time without a timer does.</summary>
    internal static void AgeClock(long ms) => Interlocked.Add(ref _lastTick, -ms);

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
                // Atomically: the reader may store a newer time meanwhile, and a plain += would put it back into the past.
                if (stall > 0) Interlocked.Add(ref c.LastReceived, stall);
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
