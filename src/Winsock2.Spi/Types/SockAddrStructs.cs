using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Winsock2;

public static partial class SockAddr
{
    /// <summary>The bytes of a sockaddr structure (a copy of its <c>sizeof</c> bytes).</summary>
    public static byte[] ToBytes<T>(in T address) where T : unmanaged, ISockAddr =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in address)).ToArray();

    /// <summary>The first bytes of <paramref name="name"/> as a sockaddr structure (a copy; bytes past its end are 0).</summary>
    public static T FromBytes<T>(ReadOnlySpan<byte> name) where T : unmanaged, ISockAddr
    {
        T value = default;
        var into = MemoryMarshal.AsBytes(new Span<T>(ref value));
        name[..Math.Min(name.Length, into.Length)].CopyTo(into);
        return value;
    }

    /// <summary>The structure's own bytes, read and written in place.</summary>
    public static Span<byte> Bytes<T>(ref T address) where T : unmanaged, ISockAddr =>
        MemoryMarshal.AsBytes(new Span<T>(ref address));

    /// <summary>
    /// A storage viewed as a family's structure in place, as C casts <c>(SOCKADDR_IN*)&amp;ss</c>:
    /// <c>ref SOCKADDR_IN sin = ref SockAddr.As&lt;SOCKADDR_IN&gt;(ref ss);</c> (every sockaddr fits in a storage).
    /// </summary>
    public static ref T As<T>(ref SOCKADDR_STORAGE storage) where T : unmanaged, ISockAddr =>
        ref Unsafe.As<SOCKADDR_STORAGE, T>(ref storage);

    /// <summary>
    /// A generic sockaddr viewed as a family's structure in place (<c>(SOCKADDR_IN*)&amp;sa</c>); only structures of at
    /// most 16 bytes fit (SOCKADDR_IN): a larger one throws <see cref="ArgumentException"/>.
    /// </summary>
    public static ref T As<T>(ref SOCKADDR address) where T : unmanaged, ISockAddr
    {
        if (Unsafe.SizeOf<T>() > SOCKADDR.Size) throw new ArgumentException($"{typeof(T).Name} does not fit in a SOCKADDR.", nameof(T));
        return ref Unsafe.As<SOCKADDR, T>(ref address);
    }

    /// <summary>
    /// Sockaddr bytes (getaddrinfo's ai_addr, a buffer recvfrom filled) viewed as a structure in place, as C casts
    /// <c>(SOCKADDR_IN*)p-&gt;ai_addr</c>: writes through the reference change the bytes. The array must hold
    /// <c>sizeof(T)</c> bytes (else <see cref="ArgumentOutOfRangeException"/>).
    /// </summary>
    public static ref T As<T>(byte[] name) where T : unmanaged, ISockAddr
    {
        ArgumentNullException.ThrowIfNull(name);
        return ref MemoryMarshal.AsRef<T>(name.AsSpan());
    }
}
