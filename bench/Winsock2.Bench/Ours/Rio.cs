using System.Buffers.Binary;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// The Registered I/O function table of a socket's provider, fetched as C does:
/// WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) into a 112-byte table (cbSize, then 13
/// function pointers in the table's field order), each pointer resolved to its delegate.
/// </summary>
public static class Rio
{
    /// <summary>The socket's RIO table, or null with the reason.</summary>
    public static RIO_EXTENSION_FUNCTION_TABLE? Table(SOCKET s, out string? why)
    {
        why = null;
        var output = new byte[RIO_EXTENSION_FUNCTION_TABLE.Size];
        var guid = WSAID_MULTIPLE_RIO.ToByteArray();
        if (WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, guid, (uint)guid.Length, output, (uint)output.Length,
                out uint bytes, null, null) != 0)
        {
            why = $"WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) fails with {WSAGetLastError()}";
            return null;
        }
        if (bytes < RIO_EXTENSION_FUNCTION_TABLE.Size)
        {
            why = $"WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) returned {bytes} bytes";
            return null;
        }
        var t = new RIO_EXTENSION_FUNCTION_TABLE { cbSize = BinaryPrimitives.ReadUInt32LittleEndian(output) };
        int i = 0;
        bool all = Get(output, i++, out t.RIOReceive) & Get(output, i++, out t.RIOReceiveEx) & Get(output, i++, out t.RIOSend)
            & Get(output, i++, out t.RIOSendEx) & Get(output, i++, out t.RIOCloseCompletionQueue)
            & Get(output, i++, out t.RIOCreateCompletionQueue) & Get(output, i++, out t.RIOCreateRequestQueue)
            & Get(output, i++, out t.RIODequeueCompletion) & Get(output, i++, out t.RIODeregisterBuffer) & Get(output, i++, out t.RIONotify)
            & Get(output, i++, out t.RIORegisterBuffer) & Get(output, i++, out t.RIOResizeCompletionQueue)
            & Get(output, i, out t.RIOResizeRequestQueue);
        if (all) return t;
        why = "the RIO table has a function pointer that resolves to nothing";
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

    private static bool Get<T>(byte[] table, int index, out T? function) where T : Delegate =>
        ExtensionFunctionPointer.TryGet((nint)BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(8 + index * 8)), out function);
}
