namespace Winsock2.Providers.Core;

/// <summary>
/// A registered buffer (RIORegisterBuffer's result): the application's array and the registered length. Requests hold
/// the array itself, so a slice stays readable and writable however the registration ends; a request made after
/// RIODeregisterBuffer is refused (WSAEFAULT).
/// </summary>
public sealed class RioBuffer : RIO_BUFFERID
{
    private volatile bool _deregistered;

    internal RioBuffer(byte[] array, int length)
    {
        Array = array;
        Length = length;
    }

    /// <summary>The registered array.</summary>
    public byte[] Array { get; }

    /// <summary>How many bytes from the array's start are registered.</summary>
    public int Length { get; }

    /// <summary>RIODeregisterBuffer ended the registration.</summary>
    public bool IsDeregistered => _deregistered;

    /// <summary>Ends the registration: false when it had already ended.</summary>
    internal bool Deregister()
    {
        if (_deregistered) return false;
        _deregistered = true;
        return true;
    }

    /// <summary>
    /// The registered slice <paramref name="buf"/> names: 0 and the slice; WSAEFAULT for a buffer id that is not a
    /// registration (another provider's, or deregistered) or a slice that leaves the registered bytes.
    /// </summary>
    internal static int Resolve(in RIO_BUF buf, out RioSlice slice)
    {
        slice = default;
        if (buf.BufferId is not RioBuffer b || b.IsDeregistered) return Ws2Spi.WSAEFAULT;
        if (buf.Offset > (uint)b.Length || buf.Length > (uint)b.Length - buf.Offset) return Ws2Spi.WSAEFAULT;
        slice = new RioSlice(b.Array, (int)buf.Offset, (int)buf.Length);
        return 0;
    }
}
