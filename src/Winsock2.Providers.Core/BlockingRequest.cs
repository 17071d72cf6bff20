using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// What a provider does with a request that did not complete at once: a pending overlapped request is cancelled
/// when its initiating thread exits; a blocking call waits alertably for its request and takes it back on timeout
/// or cancellation.
/// </summary>
internal static class BlockingRequest
{
    /// <summary>
    /// Registers a pending overlapped request for cancellation when its initiating thread (the caller's WSATHREADID,
    /// else the calling thread) exits: <paramref name="rundown"/> then runs with the request as its argument.
    /// </summary>
    public static void WatchThread(IoRequest r, Action<object?> rundown)
    {
        var tid = r.Thread?.ThreadHandle ?? ThreadContext.Current.Handle;
        if (ThreadRegistry.TryGet(tid, out var ctx)) r.Rundown = ctx.RegisterRundown(rundown, r);
    }

    /// <summary>
    /// Waits (alertably) for a blocking request to complete. 0: it completed (its result is in the request). Else the
    /// wait ended first (WSAETIMEDOUT, WSAEINTR ...) and <paramref name="takeBack"/>(<paramref name="queue"/>, r),
    /// called under <paramref name="gate"/>, removed the still-pending request: the wait's error. When the request
    /// completed meanwhile (<paramref name="takeBack"/> finds nothing), 0. A static <paramref name="takeBack"/>
    /// keeps the wait free of allocations.
    /// </summary>
    public static int Wait<TQueue>(IoRequest r, int timeoutMs, Lock gate, TQueue queue, Func<TQueue, IoRequest, bool> takeBack)
    {
        int rc = Waits.BlockingWait(r, static r => r.Done, timeoutMs);
        if (rc == 0) return 0;
        lock (gate) return takeBack(queue, r) ? rc : 0;
    }
}
