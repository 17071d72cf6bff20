using System.Runtime.InteropServices;

namespace Winsock2;

/// <summary>
/// A buffer: <see cref="len"/> bytes of <see cref="buf"/> starting at <see cref="offset"/> (C's <c>buf + offset</c>).
/// A negative offset, or offset + len beyond buf, is WSAEFAULT.
/// </summary>
public sealed class WSABUF
{
    /// <summary>Length of the buffer in bytes.</summary>
    public uint len;

    /// <summary>The buffer (null only when len is 0).</summary>
    public byte[]? buf;

    /// <summary>Where in <see cref="buf"/> the buffer starts (C's <c>wsabuf.buf = base + offset</c>); 0 by default.</summary>
    public int offset;

    /// <summary>An empty buffer.</summary>
    public WSABUF() { }

    /// <summary>A buffer over the whole of <paramref name="buffer"/>.</summary>
    public WSABUF(byte[] buffer) { buf = buffer; len = (uint)buffer.Length; }

    /// <summary>A buffer over the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
    public WSABUF(byte[] buffer, uint length) { buf = buffer; len = length; }

    /// <summary>A buffer over <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/> (C's <c>buffer + offset</c>).</summary>
    public WSABUF(byte[] buffer, int offset, uint length) { buf = buffer; this.offset = offset; len = length; }

    /// <summary>A buffer over an array segment (its array, offset and count).</summary>
    public WSABUF(ArraySegment<byte> segment) { buf = segment.Array; offset = segment.Offset; len = (uint)segment.Count; }

    /// <summary>
    /// A buffer over array-backed memory (a slice of a <c>byte[]</c>, as <c>array.AsMemory(n)</c> makes): the providers
    /// pin arrays, so other memory throws <see cref="ArgumentException"/>.
    /// </summary>
    public WSABUF(Memory<byte> memory)
    {
        if (!MemoryMarshal.TryGetArray<byte>(memory, out var segment))
            throw new ArgumentException("A WSABUF needs memory backed by a byte array.", nameof(memory));
        buf = segment.Array;
        offset = segment.Offset;
        len = (uint)segment.Count;
    }

    /// <summary>True when offset is not negative and offset + len fits inside buf.</summary>
    public bool IsValid => offset >= 0 && (buf is null ? len == 0 : (ulong)offset + len <= (ulong)buf.Length);

    /// <summary>The <see cref="len"/> bytes the buffer describes (empty when len is 0); only for a valid buffer.</summary>
    public Span<byte> AsSpan() => len == 0 ? [] : buf.AsSpan(offset, (int)len);

    /// <summary>The buffer as an array segment (an empty one when len is 0); only for a valid buffer.</summary>
    public ArraySegment<byte> AsSegment() => len == 0 || buf is null ? new ArraySegment<byte>([]) : new ArraySegment<byte>(buf, offset, (int)len);
}
