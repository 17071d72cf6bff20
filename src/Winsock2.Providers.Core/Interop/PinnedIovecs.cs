using System.Runtime.InteropServices;

namespace Winsock2.Interop;

/// <summary>
/// The iovec array of one scatter/gather call (recvmsg, sendmsg) over managed buffers: each buffer added is pinned
/// (a GC handle) and described by the next iovec; <see cref="Dispose"/> unpins them once the call has returned.
/// The caller provides the storage: room for as many handles and iovecs as it adds.
/// </summary>
internal unsafe ref struct PinnedIovecs
{
    private readonly Span<GCHandle> _handles;

    /// <param name="handles">Storage for the GC handles (one per buffer added).</param>
    /// <param name="iov">Storage for the iovecs (one per buffer added); must not move (stack or pinned memory).</param>
    public PinnedIovecs(Span<GCHandle> handles, Libc.iovec* iov)
    {
        _handles = handles;
        Iov = iov;
    }

    /// <summary>The iovecs for the msghdr.</summary>
    public Libc.iovec* Iov { get; }

    /// <summary>How many buffers were added.</summary>
    public int Count { get; private set; }

    /// <summary>Pins <paramref name="segment"/> and describes its bytes from <paramref name="offset"/> on in the next iovec.</summary>
    public void Add(ArraySegment<byte> segment, int offset)
    {
        var h = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
        _handles[Count] = h;
        Iov[Count].iov_base = (byte*)h.AddrOfPinnedObject() + segment.Offset + offset;
        Iov[Count].iov_len = (nuint)(segment.Count - offset);
        Count++;
    }

    /// <summary>Unpins every buffer added.</summary>
    public void Dispose()
    {
        for (int i = 0; i < Count; i++) _handles[i].Free();
        Count = 0;
    }
}
