using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// WSPIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): the GUID in the input buffer names an extension function the provider
/// offers (its <see cref="ProviderBase{TSocket}.ExtensionFunction"/>); its pointer (<see cref="ExtensionFunctionPointer"/>)
/// goes into the output buffer. And what every extension function does at its edges: an extension function is called
/// directly (no ws2_32 prolog), so it reports its error itself, through the thread's last error as mswsock does.
/// </summary>
internal static class ExtensionFunctions
{
    /// <summary>The mswsock functions (known to every provider here, offered by those whose transport has them).</summary>
    private static readonly Guid[] Known =
    [
        Ws2Spi.WSAID_ACCEPTEX, Ws2Spi.WSAID_GETACCEPTEXSOCKADDRS, Ws2Spi.WSAID_CONNECTEX, Ws2Spi.WSAID_DISCONNECTEX,
        Ws2Spi.WSAID_TRANSMITFILE, Ws2Spi.WSAID_TRANSMITPACKETS, Ws2Spi.WSAID_WSARECVMSG, Ws2Spi.WSAID_WSASENDMSG,
    ];

    /// <summary>
    /// The ioctl's answer: WSAEFAULT when the input holds no 16-byte GUID or the output has no room for a pointer;
    /// WSAEOPNOTSUPP for an mswsock function the provider does not offer (its transport has no such operation);
    /// WSAEINVAL for any other GUID; else the pointer with 8 bytes returned.
    /// </summary>
    public static int Answer(byte[]? input, uint inLen, byte[]? output, uint outLen, Func<Guid, Delegate?> offered, out uint returned)
    {
        returned = 0;
        if (ExtensionFunctionPointer.GuidIn(input, inLen) is not { } id) return Ws2Spi.WSAEFAULT;
        if (output is null || outLen < ExtensionFunctionPointer.Size || output.Length < ExtensionFunctionPointer.Size) return Ws2Spi.WSAEFAULT;
        if (offered(id) is not { } function) return Array.IndexOf(Known, id) >= 0 ? Ws2Spi.WSAEOPNOTSUPP : Ws2Spi.WSAEINVAL;
        ExtensionFunctionPointer.Write(output, ExtensionFunctionPointer.Of(function));
        returned = ExtensionFunctionPointer.Size;
        return 0;
    }

    /// <summary>A BOOL extension function's result: true, or false with <paramref name="error"/> as the thread's last error.</summary>
    public static bool Result(int error)
    {
        if (error == 0) return true;
        ThreadContext.Current.LastError = error;
        return false;
    }

    /// <summary>An int extension function's result (WSARecvMsg, WSASendMsg): 0, or SOCKET_ERROR with the last error set.</summary>
    public static int IntResult(int error)
    {
        if (error == 0) return 0;
        ThreadContext.Current.LastError = error;
        return Ws2Spi.SOCKET_ERROR;
    }

    /// <summary>
    /// A BOOL extension function's body, guarded: <paramref name="call"/> gives 0 or the error; an exception is an internal
    /// failure (WSASYSCALLFAILURE). True, or false with the error as the thread's last error.
    /// </summary>
    public static bool Guarded(Func<int> call)
    {
        try { return Result(call()); }
        catch (Exception e) { return Result(Failed(e)); }
    }

    /// <summary>An int extension function's body (WSARecvMsg, WSASendMsg), guarded as <see cref="Guarded"/>.</summary>
    public static int GuardedInt(Func<int> call)
    {
        try { return IntResult(call()); }
        catch (Exception e) { return IntResult(Failed(e)); }
    }

    /// <summary>An exception inside an extension function: an internal failure, WSASYSCALLFAILURE for the caller.</summary>
    public static int Failed(Exception e)
    {
        Diagnostics.InternalFailure("extension function", e);
        return Ws2Spi.WSASYSCALLFAILURE;
    }
}
