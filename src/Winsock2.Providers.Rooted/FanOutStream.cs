using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The root's outgoing multipoint data: frames are appended once into shared 64 KiB chunks, and every leaf's
/// connection writes the same bytes from its own position. Appending is O(1) whatever the number of leaves.
/// Guarded by the session lock; chunks are append-only, so a writer may read a range it collected outside the lock —
/// it pins its position meanwhile (<see cref="Pin"/>), and a chunk is released only once every leaf wrote past it and
/// no write in flight starts before its end. Released chunks are kept for reuse (at most <see cref="MaxSpareBytes"/>),
/// so a busy stream appends into memory still in the cache instead of fresh pages.
/// </summary>
internal sealed class FanOutStream
{
    /// <summary>The most bytes of released chunks kept for reuse.</summary>
    public const int MaxSpareBytes = 512 * 1024;

    private long _spareBytes;

    private readonly List<(long Start, byte[] Buffer)> _chunks = new();
    private readonly List<byte[]> _spares = new();
    private readonly List<long> _pins = new();
    private byte[]? _current;
    private long _currentStart;
    private int _currentFill;

    /// <summary>Absolute offset just past the last byte appended.</summary>
    public long End { get; private set; }

    /// <summary>Appends a frame of <paramref name="type"/>: its header and the send request's payload.</summary>
    public void Append(FrameType type, Winsock2.Providers.Core.IoRequest payload) =>
        DataFrame.CopyPayload(payload, Reserve(type, payload.TotalLength));

    /// <summary>Appends a frame of <paramref name="type"/>: its header and <paramref name="payload"/>.</summary>
    public void Append(FrameType type, ReadOnlySpan<byte> payload) => payload.CopyTo(Reserve(type, payload.Length));

    /// <summary>
    /// Writes the frame's header straight into the current chunk (a new one when the frame does not fit) and returns
    /// the payload's place after it.
    /// </summary>
    private Span<byte> Reserve(FrameType type, int length)
    {
        int size = Frame.HeaderSize + length;
        var current = _current;
        int fill = _currentFill;
        if (current is null || size > current.Length - fill)
        {
            current = _current = TakeSpare(Math.Max(RootedLimits.ChunkSize, size))
                ?? GC.AllocateUninitializedArray<byte>(Math.Max(RootedLimits.ChunkSize, size)); // only appended bytes are ever read
            _currentStart = End;
            fill = 0;
            _chunks.Add((_currentStart, current));
        }
        var frame = current.AsSpan(fill, size);
        Frame.WriteHeader(frame, type, length);
        _currentFill = fill + size;
        End += size;
        return frame[Frame.HeaderSize..];
    }

    /// <summary>Adds the stored ranges covering [from, to) to <paramref name="into"/>, at most <paramref name="maxBytes"/>.</summary>
    public int Collect(long from, long to, List<ArraySegment<byte>> into, int maxBytes, int maxSegments)
    {
        int total = 0;
        for (int i = FindChunk(from); i < _chunks.Count && from < to && total < maxBytes && into.Count < maxSegments; i++)
        {
            var (start, buf) = _chunks[i];
            long chunkEnd = start + (buf == _current ? _currentFill : ChunkLength(i));
            if (chunkEnd <= from) continue;
            int off = (int)(from - start);
            int len = (int)Math.Min(Math.Min(chunkEnd, to) - from, maxBytes - total);
            if (len <= 0) break;
            into.Add(new ArraySegment<byte>(buf, off, len));
            total += len;
            from += len;
        }
        return total;
    }

    private int ChunkLength(int i) => (int)((i + 1 < _chunks.Count ? _chunks[i + 1].Start : End) - _chunks[i].Start);

    private int FindChunk(long offset)
    {
        int lo = 0, hi = _chunks.Count - 1, found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (_chunks[mid].Start <= offset) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    /// <summary>A write outside the lock reads the stream from <paramref name="position"/> on (under the lock): nothing from there is released until <see cref="Unpin"/>.</summary>
    public void Pin(long position) => _pins.Add(position);

    /// <summary>The write that pinned <paramref name="position"/> returned (under the lock).</summary>
    public void Unpin(long position)
    {
        int i = _pins.IndexOf(position);
        if (i >= 0) _pins.RemoveAt(i);
    }

    /// <summary>The most recently released spare chunk of at least <paramref name="length"/> bytes, or null.</summary>
    private byte[]? TakeSpare(int length)
    {
        for (int i = _spares.Count - 1; i >= 0; i--)
        {
            var b = _spares[i];
            if (b.Length < length) continue;
            _spares.RemoveAt(i);
            _spareBytes -= b.Length;
            return b;
        }
        return null;
    }

    /// <summary>Releases the chunks every leaf has written past and no write in flight still reads; up to <see cref="MaxSpareBytes"/> of them are kept for reuse.</summary>
    public void Release(long minPosition)
    {
        foreach (long pin in _pins) minPosition = Math.Min(minPosition, pin);
        int drop = 0;
        while (drop < _chunks.Count - 1 && _chunks[drop + 1].Start <= minPosition) drop++;
        if (drop == _chunks.Count - 1 && _chunks.Count > 0 && End <= minPosition && _chunks[^1].Buffer == _current && _currentFill == _current!.Length)
            drop = _chunks.Count;
        for (int i = 0; i < drop; i++)
        {
            var b = _chunks[i].Buffer;
            if (_spareBytes + b.Length > MaxSpareBytes) break;
            _spares.Add(b);
            _spareBytes += b.Length;
        }
        if (drop > 0) _chunks.RemoveRange(0, drop);
        if (_chunks.Count == 0) _current = null;
    }

    /// <summary>Bytes held in chunks (for the memory bound), the spares kept for reuse included.</summary>
    public long HeldBytes => _chunks.Sum(c => (long)c.Buffer.Length) + _spareBytes;
}
