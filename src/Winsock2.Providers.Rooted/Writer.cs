using System.Collections.Concurrent;
using Winsock2.Kernel;

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
    private static int _sleeping;
    private static readonly Lazy<Thread> Thread = new(() =>
    {
        var t = new Thread(Loop) { IsBackground = true, Name = "Winsock2 rooted writer" };
        t.Start();
        return t;
    });

    /// <summary>How long the writer keeps looking for more work before it sleeps (spin iterations).</summary>
    private const int SpinBeforeSleep = 200;

    public static void Schedule(IFlushable f)
    {
        if (!f.TrySchedule()) return;
        _ = Thread.Value;
        Queue.Enqueue(f);
        // Wake the writer only if it sleeps: a busy writer picks the work up on its next pass.
        if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1) Signal.Release();
    }

    private static void Loop()
    {
        var spinner = new SpinWait();
        int idle = 0;
        while (true)
        {
            if (Queue.TryDequeue(out var f))
            {
                idle = 0;
                f.Unschedule();
                try { f.Flush(); }
                catch (Exception e) { Diagnostics.InternalFailure("rooted writer", e); }
                continue;
            }
            if (++idle < SpinBeforeSleep)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            idle = 0;
            // A full fence between announcing sleep and the last look at the queue: with a plain store the
            // load could pass it, a producer would see the writer awake and skip the wake-up, and the writer
            // would sleep on a non-empty queue.
            Interlocked.Exchange(ref _sleeping, 1);
            if (!Queue.IsEmpty)
            {
                // Work arrived between the last look and the flag: take it back unless a producer already woke us.
                if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1) continue;
            }
            Signal.Wait();
        }
    }
}
