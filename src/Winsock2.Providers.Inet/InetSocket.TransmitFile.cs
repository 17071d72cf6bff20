using Microsoft.Win32.SafeHandles;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// TransmitFile: the head buffer, the file range and the tail buffer go out as one send (scatter/gather, in order,
/// through the socket's send queue, so it completes as a WSASend does). The file range is read into memory first:
/// at most <see cref="MaxTransmitFileBytes"/> per call (more is WSAENOBUFS), the bound of what one call holds.
/// nNumberOfBytesPerSend is accepted and not used (the kernel takes what it can). TF_DISCONNECT (and TF_REUSE_SOCKET,
/// which needs it) disconnect as DisconnectEx does once everything is sent, before the completion can be acted on.
/// </summary>
internal sealed partial class InetSocket
{
    /// <summary>The most file bytes one TransmitFile sends.</summary>
    public const int MaxTransmitFileBytes = 64 << 20;

    /// <summary>An overlapped TransmitFile with TF_DISCONNECT whose send is still queued, and whether the socket is reused.</summary>
    private (WSAOVERLAPPED Overlapped, bool Reuse)? _transmitThenDisconnect;

    /// <summary>
    /// TransmitFile: WSAEINVAL for unknown flags or TF_REUSE_SOCKET without TF_DISCONNECT; WSAEFAULT for a head or tail
    /// length beyond its buffer; WSA_INVALID_HANDLE for a closed or invalid file handle; WSAENOBUFS for a range above the
    /// bound; WSAENOTCONN unless a connected stream. Else 0 (sent) or WSA_IO_PENDING.
    /// </summary>
    public int TransmitFile(SafeFileHandle? file, uint count, WSAOVERLAPPED? ov, TRANSMIT_FILE_BUFFERS? buffers, uint flags, WSATHREADID? threadId)
    {
        const uint known = Ws2Spi.TF_DISCONNECT | Ws2Spi.TF_REUSE_SOCKET | Ws2Spi.TF_WRITE_BEHIND | Ws2Spi.TF_USE_SYSTEM_THREAD | Ws2Spi.TF_USE_KERNEL_APC;
        if ((flags & ~known) != 0 || ((flags & Ws2Spi.TF_REUSE_SOCKET) != 0 && (flags & Ws2Spi.TF_DISCONNECT) == 0)) return Ws2Spi.WSAEINVAL;
        if (buffers is not null && ((buffers.HeadLength > 0 && (buffers.Head is null || buffers.HeadLength > buffers.Head.Length))
            || (buffers.TailLength > 0 && (buffers.Tail is null || buffers.TailLength > buffers.Tail.Length))))
            return Ws2Spi.WSAEFAULT;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (!IsStream || _conn != ConnState.Connected) return Ws2Spi.WSAENOTCONN;
        }
        byte[] data = [];
        if (file is not null)
        {
            int read = ReadRange(file, count, ov, out data);
            if (read != 0) return read;
        }
        var parts = new List<WSABUF>(3);
        if (buffers is { HeadLength: > 0 }) parts.Add(new WSABUF(buffers.Head!, buffers.HeadLength));
        if (data.Length > 0) parts.Add(new WSABUF(data));
        if (buffers is { TailLength: > 0 }) parts.Add(new WSABUF(buffers.Tail!, buffers.TailLength));
        bool disconnect = (flags & Ws2Spi.TF_DISCONNECT) != 0, reuse = (flags & Ws2Spi.TF_REUSE_SOCKET) != 0;
        if (ov is null)
        {
            int errno = 0;
            int rc = parts.Count == 0 ? 0 : Send([.. parts], (uint)parts.Count, out _, 0, null, 0, null, null, null, out errno);
            if (rc != 0) return errno;
            if (disconnect) lock (Gate) return _conn == ConnState.Connected ? Disconnect(reuse) : 0;
            return 0;
        }
        lock (Gate) // an overlapped send never waits: the disconnect happens before anyone can act on the completion
        {
            int errno = 0;
            int rc = parts.Count == 0 ? 0 : Send([.. parts], (uint)parts.Count, out _, 0, null, 0, ov, null, threadId, out errno);
            if (parts.Count == 0) _completion.CompleteAtOnce(new IoRequest([], 0, 0, ov, null, threadId), 0, 0);
            if (rc != 0 && errno != Ws2Spi.WSA_IO_PENDING) return errno;
            if (disconnect)
            {
                if (ov.IsPending) _transmitThenDisconnect = (ov, reuse);
                else if (ov.OffsetHigh == 0 && _conn == ConnState.Connected) Disconnect(reuse);
            }
            return rc == 0 ? 0 : Ws2Spi.WSA_IO_PENDING;
        }
    }

    /// <summary>The queued send of an overlapped TransmitFile with TF_DISCONNECT finished (under the lock, after the sends were pumped): disconnect.</summary>
    private void FinishTransmitFile()
    {
        if (_transmitThenDisconnect is not { } t || t.Overlapped.IsPending) return;
        _transmitThenDisconnect = null;
        if (t.Overlapped.OffsetHigh == 0 && _conn == ConnState.Connected) Disconnect(t.Reuse);
    }

    /// <summary>
    /// The file range: from the overlapped structure's Offset/OffsetHigh, else from the handle's file position (which
    /// then moves past it); <paramref name="count"/> bytes, or to the end of the file for 0.
    /// </summary>
    private static int ReadRange(SafeFileHandle file, uint count, WSAOVERLAPPED? ov, out byte[] data)
    {
        data = [];
        if (file.IsInvalid || file.IsClosed) return Ws2Spi.WSA_INVALID_HANDLE;
        try
        {
            long offset = ov is not null ? ((long)ov.OffsetHigh << 32) | ov.Offset : Libc.lseek((int)file.DangerousGetHandle(), 0, Libc.SEEK_CUR);
            if (offset < 0) return Ws2Spi.WSA_INVALID_HANDLE;
            long length = RandomAccess.GetLength(file);
            long wanted = count == 0 ? Math.Max(0, length - offset) : Math.Min(count, Math.Max(0, length - offset));
            if (wanted > MaxTransmitFileBytes) return Ws2Spi.WSAENOBUFS;
            data = new byte[wanted];
            int total = 0;
            while (total < wanted)
            {
                int n = RandomAccess.Read(file, data.AsSpan(total), offset + total);
                if (n <= 0) break;
                total += n;
            }
            if (total < data.Length) Array.Resize(ref data, total);
            if (ov is null) Libc.lseek((int)file.DangerousGetHandle(), offset + total, Libc.SEEK_SET);
            return 0;
        }
        catch (IOException) { return Ws2Spi.WSA_INVALID_HANDLE; }
        catch (ObjectDisposedException) { return Ws2Spi.WSA_INVALID_HANDLE; }
        catch (UnauthorizedAccessException) { return Ws2Spi.WSA_INVALID_HANDLE; }
    }
}
