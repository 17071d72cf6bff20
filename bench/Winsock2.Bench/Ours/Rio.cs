using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// Registered I/O helpers for the bench: the function table of a socket's provider, fetched as C does
/// (WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) into a RIO_EXTENSION_FUNCTION_TABLE), an
/// event-notified completion queue, and a dequeue that waits through RIONotify instead of spinning.
/// </summary>
public static class Rio
{
    /// <summary>The socket's RIO table, or null with the reason.</summary>
    public static RIO_EXTENSION_FUNCTION_TABLE? Table(SOCKET s, out string? why)
    {
        why = null;
        var t = new RIO_EXTENSION_FUNCTION_TABLE();
        if (WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO, t, out _, null, null) == 0) return t;
        why = $"WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) fails with {WSAGetLastError()}";
        return null;
    }

    /// <summary>The socket's RIO table; throws (the bench's failure) when there is none.</summary>
    public static RIO_EXTENSION_FUNCTION_TABLE Table(SOCKET s) => Table(s, out var why) ?? throw new InvalidOperationException(why);

    /// <summary>An event-notified completion queue of <paramref name="size"/> entries; RIONotify resets the event.</summary>
    public static RIO_CQ CompletionQueue(RIO_EXTENSION_FUNCTION_TABLE t, uint size, WSAEVENT ev)
    {
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_EVENT_COMPLETION };
        n.Event.EventHandle = ev;
        n.Event.NotifyReset = true;
        return t.RIOCreateCompletionQueue!(size, n) ?? throw Rooted.Failed("RIOCreateCompletionQueue");
    }

    /// <summary>
    /// Dequeues into <paramref name="results"/>; when the queue is empty, arms its notification (RIONotify), looks once
    /// more, and waits on <paramref name="ev"/> up to <paramref name="timeoutMs"/>. Returns the count (0 after the timeout).
    /// </summary>
    public static int Dequeue(RIO_EXTENSION_FUNCTION_TABLE t, RIO_CQ cq, WSAEVENT ev, RIORESULT[] results, uint timeoutMs)
    {
        uint n = t.RIODequeueCompletion!(cq, results, (uint)results.Length);
        if (n == RIO_CORRUPT_CQ) throw new InvalidOperationException("RIODequeueCompletion returned RIO_CORRUPT_CQ");
        if (n > 0) return (int)n;
        int rc = t.RIONotify!(cq);
        if (rc != 0 && rc != WSAEALREADY) throw new InvalidOperationException($"RIONotify failed with {rc}");
        n = t.RIODequeueCompletion(cq, results, (uint)results.Length);
        if (n == RIO_CORRUPT_CQ) throw new InvalidOperationException("RIODequeueCompletion returned RIO_CORRUPT_CQ");
        if (n > 0) return (int)n;
        if (WSAWaitForMultipleEvents(1, [ev], false, timeoutMs, false) == WSA_WAIT_FAILED) throw Rooted.Failed("WSAWaitForMultipleEvents");
        n = t.RIODequeueCompletion(cq, results, (uint)results.Length);
        if (n == RIO_CORRUPT_CQ) throw new InvalidOperationException("RIODequeueCompletion returned RIO_CORRUPT_CQ");
        return (int)n;
    }

}
