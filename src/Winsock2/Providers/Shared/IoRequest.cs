using Winsock2.Runtime;

namespace Winsock2.Providers.Shared;

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
        SegmentCount = (int)count;
        long total = 0;
        if (count == 1)
        {
            _single = new ArraySegment<byte>(buffers[0].buf ?? [], 0, (int)buffers[0].len);
            total = _single.Count;
        }
        else
        {
            _segments = count == 0 ? [] : new ArraySegment<byte>[count];
            for (int i = 0; i < count; i++)
            {
                _segments[i] = new ArraySegment<byte>(buffers[i].buf ?? [], 0, (int)buffers[i].len);
                total += _segments[i].Count;
            }
        }
        TotalLength = (int)Math.Min(total, int.MaxValue);
        Flags = flags;
        Overlapped = overlapped;
        Routine = routine;
        if (threadId is not null) Thread = ThreadContext.Current.Snapshot(threadId);
        if (overlapped is null && routine is null) Waiter = ThreadContext.Current;
    }

    private readonly ArraySegment<byte> _single;
    private ArraySegment<byte>[]? _segments;

    /// <summary>The captured buffers.</summary>
    public ArraySegment<byte>[] Segments => _segments ??= [_single];

    /// <summary>How many buffers were captured.</summary>
    public readonly int SegmentCount;

    /// <summary>Captured buffer <paramref name="i"/> (no array needed for a single buffer).</summary>
    public ArraySegment<byte> Segment(int i) => _segments is null ? _single : _segments[i];

    /// <summary>The sum of the buffer lengths (at most int.MaxValue).</summary>
    public readonly int TotalLength;

    public readonly int Flags;
    public readonly WSAOVERLAPPED? Overlapped;
    public readonly LPWSAOVERLAPPED_COMPLETION_ROUTINE? Routine;
    /// <summary>The initiating thread (a copy of the caller's WSATHREADID, shared per thread when it is the API's).</summary>
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
}
