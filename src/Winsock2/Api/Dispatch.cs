using Winsock2.Kernel;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>
/// The one template every per-socket API call follows: startup check (WSANOTINITIALISED), handle lookup
/// that holds the socket's table entry for the call (WSAENOTSOCK), the provider's WSP* call, and the error
/// copied into WSAGetLastError (WSASYSCALLFAILURE when a provider fails without a code). No exception escapes.
/// </summary>
internal static class Dispatch
{
    /// <summary>The prolog. False (with the last error set) when the call cannot go to a provider.</summary>
    public static bool Enter(SOCKET s, out WSPPROC_TABLE proc)
    {
        proc = null!;
        if (!Started()) return false;
        if (!ApiInstance.Sockets.TryGet(s.Value, out var entry)) return SetError(Ws2_32.WSAENOTSOCK);
        var loaded = entry.Provider;
        if (loaded is null || loaded.Retired)
        {
            // First call on this handle: find (or start) the provider under the instance lock, then keep it in the row.
            loaded = ApiInstance.TryGetProvider(entry.CatalogEntryId, out int errno);
            if (loaded is null) return SetError(errno == 0 ? Ws2_32.WSAENOTSOCK : errno);
            entry.Provider = loaded;
        }
        proc = loaded.Table;
        return true;
    }

    /// <summary>The startup check alone.</summary>
    public static bool Started() => ApiInstance.IsStarted || SetError(Ws2_32.WSANOTINITIALISED);

    /// <summary>Fails a call its arguments rule out before any socket is looked at: WSANOTINITIALISED before WSAStartup, else <paramref name="code"/>.</summary>
    public static int Refuse(int code) => Started() ? Finish(Ws2_32.SOCKET_ERROR, code) : Ws2_32.SOCKET_ERROR;

    /// <summary>Sets the last error; always false, for use in returns.</summary>
    public static bool SetError(int code)
    {
        ThreadContext.Current.LastError = code;
        return false;
    }

    /// <summary>The epilog for int-returning calls.</summary>
    public static int Finish(int rc, int errno)
    {
        if (rc == Ws2_32.SOCKET_ERROR) SetError(errno == 0 ? Ws2_32.WSASYSCALLFAILURE : errno);
        return rc;
    }

    /// <summary>
    /// The epilog for the calls whose success Windows records as clearing the last error (send, sendto, WSASend,
    /// WSASendTo, recv, recvfrom, WSARecv, WSARecvFrom, WSAIoctl and ioctlsocket, getsockopt, setsockopt,
    /// getsockname, connect and WSAConnect): as <see cref="Finish(int, int)"/>, and a success leaves the last error 0
    /// (Wine's sock.c test_WSARecv, test_WSASendTo, test_WSASendMsg, test_fionbio, test_keepalive_vals,
    /// test_set_getsockopt and test_getsockname set a sentinel first and read 0 after the call succeeds; ReactOS's
    /// send.c reads 0 after connect, send and sendto).
    /// Other calls leave the last error as it was on success.
    /// </summary>
    public static int FinishClearingOnSuccess(int rc, int errno)
    {
        if (rc == Ws2_32.SOCKET_ERROR) return Finish(rc, errno);
        ThreadContext.Current.LastError = 0;
        return rc;
    }

    /// <summary>The epilog for SOCKET-returning calls.</summary>
    public static SOCKET Finish(SOCKET s, int errno)
    {
        if (!s.IsValid) SetError(errno == 0 ? Ws2_32.WSASYSCALLFAILURE : errno);
        return s;
    }

    /// <summary>The epilog for BOOL-returning calls.</summary>
    public static bool Finish(bool ok, int errno)
    {
        if (!ok) SetError(errno == 0 ? Ws2_32.WSASYSCALLFAILURE : errno);
        return ok;
    }

    /// <summary>An exception reached the API boundary: it becomes an error code.</summary>
    public static int Fail(Exception e)
    {
        Diagnostics.InternalFailure("API", e);
        SetError(e is OutOfMemoryException ? Ws2_32.WSAENOBUFS : Ws2_32.WSASYSCALLFAILURE);
        return Ws2_32.SOCKET_ERROR;
    }

    /// <summary>The calling thread's WSATHREADID, for overlapped calls (what WPUOpenCurrentThread fills).</summary>
    public static WSATHREADID ThreadId() => ThreadContext.Current.CallerThreadId();
}
