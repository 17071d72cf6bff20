namespace Winsock2;

/// <summary>A buffer: <see cref="len"/> bytes of <see cref="buf"/>. A len larger than buf is WSAEFAULT.</summary>
public sealed class WSABUF
{
    /// <summary>Length of the buffer in bytes.</summary>
    public uint len;

    /// <summary>The buffer (null only when len is 0).</summary>
    public byte[]? buf;

    /// <summary>An empty buffer.</summary>
    public WSABUF() { }

    /// <summary>A buffer over the whole of <paramref name="buffer"/>.</summary>
    public WSABUF(byte[] buffer) { buf = buffer; len = (uint)buffer.Length; }

    /// <summary>A buffer over the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
    public WSABUF(byte[] buffer, uint length) { buf = buffer; len = length; }

    /// <summary>True when len fits inside buf.</summary>
    public bool IsValid => len == 0 || (buf is not null && len <= (uint)buf.Length);
}
