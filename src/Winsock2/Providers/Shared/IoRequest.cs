using Winsock2.Runtime;

namespace Winsock2.Providers.Shared;

/// <summary>
/// One receive or send: the captured buffers (the caller's WSABUF array is transient), how it is to be
/// completed (overlapped event, completion routine, or a blocked thread), its progress and its result.
/// </summary>
internal sealed class IoRequest
{
    public IoRequest(WSABUF[] buffers, uint count, int flags, WSAOVERLAPPED? overlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId)
    {
        Segments = new ArraySegment<byte>[count];
        for (int i = 0; i < count; i++) Segments[i] = new ArraySegment<byte>(buffers[i].buf ?? [], 0, (int)buffers[i].len);
        Flags = flags;
        Overlapped = overlapped;
        Routine = routine;
        if (threadId is not null) Thread = new WSATHREADID { ThreadHandle = threadId.ThreadHandle, Reserved = threadId.Reserved };
        if (overlapped is null && routine is null) Waiter = ThreadContext.Current;
    }

    /// <summary>The captured buffers.</summary>
    public readonly ArraySegment<byte>[] Segments;
    public readonly int Flags;
    public readonly WSAOVERLAPPED? Overlapped;
    public readonly LPWSAOVERLAPPED_COMPLETION_ROUTINE? Routine;
    public readonly WSATHREADID? Thread;
    /// <summary>The thread blocked on this request (non-overlapped only).</summary>
    public readonly ThreadContext? Waiter;

    /// <summary>Where a receive-from writes the source address (Windows sockaddr), if anywhere.</summary>
    public byte[]? From;
    /// <summary>Where a send-to sends.</summary>
    public byte[]? To;
    /// <summary>Bytes moved so far (sends progress across calls).</summary>
    public int Progress;
    /// <summary>Unregisters the thread-exit rundown once completed.</summary>
    public IDisposable? Rundown;

    public volatile bool Done;
    public int Error;
    public int Bytes;
    public int OutFlags;

    public bool IsOverlapped => Overlapped is not null || Routine is not null;

    public int TotalLength
    {
        get
        {
            long n = 0;
            foreach (var s in Segments) n += s.Count;
            return (int)Math.Min(n, int.MaxValue);
        }
    }
}
