using System.Collections.Concurrent;

namespace Winsock2.Kernel;

/// <summary>
/// Thread handles for WSATHREADID, and the watch that notices a thread has exited so the I/O it started is
/// cancelled (SPEC §4). The watch runs only while some thread has I/O registered.
/// </summary>
internal static class ThreadRegistry
{
    private static readonly ConcurrentDictionary<nint, WeakReference<ThreadContext>> Threads = new();
    private static readonly ConcurrentDictionary<ThreadContext, byte> Watched = new();
    private static long _next;
    private static Timer? _timer;
    private static readonly object TimerGate = new();

    /// <summary>How often the watch looks for exited threads.</summary>
    public const int WatchIntervalMs = 50;

    public static nint Register(ThreadContext ctx)
    {
        var h = (nint)Interlocked.Increment(ref _next);
        Threads[h] = new WeakReference<ThreadContext>(ctx);
        return h;
    }

    public static bool TryGet(nint handle, out ThreadContext ctx)
    {
        // Most lookups name the calling thread (an immediate completion, a request being registered).
        if (ThreadContext.CurrentIfAny is { } current && current.Handle == handle)
        {
            ctx = current;
            return true;
        }
        ctx = null!;
        return Threads.TryGetValue(handle, out var w) && w.TryGetTarget(out ctx!);
    }

    public static void Watch(ThreadContext ctx)
    {
        Watched.TryAdd(ctx, 0);
        lock (TimerGate) _timer ??= new Timer(_ => Scan(), null, WatchIntervalMs, WatchIntervalMs);
    }

    private static void Scan()
    {
        try
        {
            foreach (var ctx in Watched.Keys)
            {
                if (ctx.IsDead)
                {
                    Watched.TryRemove(ctx, out _);
                    Threads.TryRemove(ctx.Handle, out _);
                    ctx.RunDown();
                }
                else if (!ctx.HasRundowns)
                {
                    Watched.TryRemove(ctx, out _);
                    if (ctx.HasRundowns) Watched.TryAdd(ctx, 0);
                }
            }
            foreach (var (h, w) in Threads)
                if (!w.TryGetTarget(out var c) || c.IsDead) Threads.TryRemove(h, out _);
            lock (TimerGate)
            {
                if (Watched.IsEmpty && _timer is not null) { _timer.Dispose(); _timer = null; }
            }
        }
        catch (Exception e) { Diagnostics.InternalFailure("thread watch", e); }
    }
}
