using System.Collections.Concurrent;
using Winsock2.Runtime;

namespace Winsock2.Providers.Rooted;

/// <summary>Something the writer thread flushes.</summary>
internal interface IFlushable
{
    /// <summary>Marks it scheduled; false if it already was.</summary>
    bool TrySchedule();
    /// <summary>Clears the mark (before flushing, so appends during the flush schedule it again).</summary>
    void Unschedule();
    /// <summary>Writes what it can without blocking.</summary>
    void Flush();
}

/// <summary>
/// The one thread that performs the rooted provider's writes. Senders only append and schedule; while the
/// writer is busy, further appends pile up and leave in the next gathered write — that is the batching.
/// </summary>
internal static class Writer
{
    private static readonly ConcurrentQueue<IFlushable> Queue = new();
    private static readonly SemaphoreSlim Signal = new(0);
    private static readonly Lazy<Thread> Thread = new(() =>
    {
        var t = new Thread(Loop) { IsBackground = true, Name = "Winsock2 rooted writer" };
        t.Start();
        return t;
    });

    public static void Schedule(IFlushable f)
    {
        if (!f.TrySchedule()) return;
        _ = Thread.Value;
        Queue.Enqueue(f);
        Signal.Release();
    }

    private static void Loop()
    {
        while (true)
        {
            Signal.Wait();
            while (Queue.TryDequeue(out var f))
            {
                f.Unschedule();
                try { f.Flush(); }
                catch (Exception e) { Diagnostics.CallbackFailed("rooted writer", e); }
            }
        }
    }
}
