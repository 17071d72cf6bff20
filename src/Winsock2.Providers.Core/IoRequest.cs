using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// One receive or send: the captured buffers (the caller's WSABUF array is transient), how it is to be
/// completed (overlapped event, completion routine, or a blocked thread), its progress and its result.
/// The common single-buffer request keeps its one segment inline (no array); <see cref="Segments"/> makes
/// the array on first use.
/// </summary>
internal sealed class IoRequest
{
    public IoRequest(WSABUF[] buffers, uint count, int flags, WSAOVERLAPPED? overlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId)
    {
        Capture(buffers, count, flags, overlapped, routine, threadId);
    }

    [ThreadStatic] private static IoRequest? t_spare;

    /// <summary>
    /// A request as the constructor makes it, taken from this thread's spare when there is one. Such a request is
    /// <see cref="Recyclable"/>: once nothing refers to it any more (it completed at once without a routine, or its
    /// routine ran), <see cref="Recycle"/> makes it the thread's spare again.
    /// </summary>
    public static IoRequest Rent(WSABUF[] buffers, uint count, int flags, WSAOVERLAPPED? overlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId)
    {
        var r = t_spare;
        if (r is null) r = new IoRequest(buffers, count, flags, overlapped, routine, threadId);
        else
        {
            t_spare = null;
            r.Reuse(buffers, count, flags, overlapped, routine, threadId);
        }
        r.Recyclable = true;
        return r;
    }

    /// <summary>Came from <see cref="Rent"/>: the provider that made it returns it when nothing refers to it.</summary>
    public bool Recyclable { get; private set; }

    /// <summary>Makes a finished, unreferenced <see cref="Recyclable"/> request this thread's spare (else does nothing).</summary>
    public void Recycle()
    {
        if (!Recyclable) return;
        Release();
        t_spare = this;
    }

    private void Reuse(WSABUF[] buffers, uint count, int flags, WSAOVERLAPPED? overlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId)
    {
        // A spare: Release (in Recycle) already dropped every reference; only the result fields are left to reset.
        Progress = Error = Bytes = OutFlags = 0;
        Done = false;
        Capture(buffers, count, flags, overlapped, routine, threadId);
    }

    /// <summary>Drops every reference to the caller's objects (a spare must not keep buffers alive).</summary>
    private void Release()
    {
        _single = default;
        _segments = null;
        Overlapped = null;
        Routine = null;
        From = To = null;
        Filter = null;
        Message = null;
        Rundown = null;
        CompletesThrough = null;
    }

    private void Capture(WSABUF[] buffers, uint count, int flags, WSAOVERLAPPED? overlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId)
    {
        SegmentCount = (int)count;
        long total = 0;
        if (count == 1)
        {
            _single = buffers[0].AsSegment();
            _segments = null;
            total = _single.Count;
        }
        else
        {
            _single = default;
            _segments = count == 0 ? [] : new ArraySegment<byte>[count];
            for (int i = 0; i < count; i++)
            {
                _segments[i] = buffers[i].AsSegment();
                total += _segments[i].Count;
            }
        }
        TotalLength = (int)Math.Min(total, int.MaxValue);
        Flags = flags;
        Overlapped = overlapped;
        Routine = routine;
        var current = ThreadContext.Current;
        Thread = threadId is null ? null : current.Snapshot(threadId);
        Waiter = overlapped is null && routine is null ? current : null;
    }

    private ArraySegment<byte> _single;
    private ArraySegment<byte>[]? _segments;

    /// <summary>The captured buffers.</summary>
    public ArraySegment<byte>[] Segments => _segments ??= [_single];

    /// <summary>How many buffers were captured.</summary>
    public int SegmentCount { get; private set; }

    /// <summary>Captured buffer <paramref name="i"/> (no array needed for a single buffer).</summary>
    public ArraySegment<byte> Segment(int i) => _segments is null ? _single : _segments[i];

    /// <summary>The sum of the buffer lengths (at most int.MaxValue).</summary>
    public int TotalLength { get; private set; }

    public int Flags { get; private set; }
    public WSAOVERLAPPED? Overlapped { get; private set; }
    public LPWSAOVERLAPPED_COMPLETION_ROUTINE? Routine { get; private set; }
    /// <summary>The initiating thread (a copy of the caller's WSATHREADID, shared per thread when it is the API's).</summary>
    public WSATHREADID? Thread { get; private set; }
    /// <summary>The thread blocked on this request (non-overlapped only).</summary>
    public ThreadContext? Waiter { get; private set; }

    /// <summary>Where a receive-from writes the source address (Windows sockaddr), if anywhere.</summary>
    public byte[]? From;
    /// <summary>The message a WSARecvMsg fills (control data, flags, address length), or whose control data a WSASendMsg sends; or null.</summary>
    public WSAMSG? Message;
    /// <summary>Where a send-to sends.</summary>
    public byte[]? To;
    /// <summary>Bytes moved so far (sends progress across calls).</summary>
    public int Progress;
    /// <summary>What a queued request accepts, in the provider's terms (a rooted per-leaf receive: its leaf), or null: anything.</summary>
    public object? Filter;
    /// <summary>Unregisters the thread-exit rundown once completed.</summary>
    public IDisposable? Rundown;
    /// <summary>
    /// The completion that delivers this request instead of the one of the queue or socket finishing it, or null: an
    /// AcceptEx's first-data receive, queued on the accept socket, completes through the listener's.
    /// </summary>
    public Completion? CompletesThrough;

    /// <summary>The <see cref="OperationQueue"/> holding the request while it is queued (else null), and its neighbours there; only that queue changes them.</summary>
    public OperationQueue? Queue;
    public IoRequest? QueuePrev, QueueNext;

    public volatile bool Done;
    public int Error;
    public int Bytes;
    public int OutFlags;

    public bool IsOverlapped => Overlapped is not null || Routine is not null;
}
