namespace Winsock2;

/// <summary>
/// A kernel object handle (winnt.h HANDLE): here an I/O completion port, or a socket cast to a handle as C casts it
/// (<c>(HANDLE)s</c>) to associate it with a port. Null is C's NULL; <see cref="Ws2Spi.INVALID_HANDLE_VALUE"/> is -1.
/// </summary>
public sealed record HANDLE(nint Value)
{
    /// <summary>A socket as a handle, as C's <c>(HANDLE)s</c>: the same value (INVALID_SOCKET becomes INVALID_HANDLE_VALUE).</summary>
    public static explicit operator HANDLE(SOCKET s) => new(unchecked((nint)s.Value));

    /// <inheritdoc />
    public override string ToString() => Value == -1 ? "INVALID_HANDLE_VALUE" : $"HANDLE 0x{Value:X}";
}
