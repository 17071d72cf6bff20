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
        // The timer runs: no lock (the reactor and a joiner add connections at the same moment of every join). A tick
        // that stops the timer looks at the connections again after it did (Tick), so this one is never missed.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _timer) is not null) return;
        EnsureTimer();
    }

    private static void EnsureTimer()
    {
        lock (Gate)
        {
            if (_timer is not null || Live.IsEmpty) return;
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
            bool stopped = false;
            lock (Gate)
            {
                if (Live.IsEmpty && _timer is not null)
                {
                    _timer.Dispose();
                    Volatile.Write(ref _timer, null);
                    stopped = true;
                }
            }
            // A connection added while the timer was being stopped saw it still running: start it again.
            Interlocked.MemoryBarrier();
            if (stopped && !Live.IsEmpty) EnsureTimer();
        }
        catch (Exception e) { Diagnostics.InternalFailure("heartbeat", e); }
    }
}
