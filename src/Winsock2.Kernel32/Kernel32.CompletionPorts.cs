using Winsock2.Kernel;

namespace Winsock2;

/// <summary>
/// The kernel32 functions Winsock servers are built with: I/O completion ports (ioapiset.h), CloseHandle, and the
/// thread's last error. A C program's <c>#include &lt;windows.h&gt;</c> is <c>using static Winsock2.Kernel32;</c>; the
/// constants (INVALID_HANDLE_VALUE, INFINITE, WAIT_TIMEOUT, ERROR_*, FILE_SKIP_*) come with <c>Ws2_32</c>.
/// Each function returns as its documentation says and leaves the reason of a failure in GetLastError (the same
/// per-thread value WSAGetLastError reads). No exception leaves them.
/// </summary>
public static class Kernel32
{
    /// <summary>
    /// Creates a completion port, associates a handle with one, or both. <paramref name="FileHandle"/>
    /// INVALID_HANDLE_VALUE with <paramref name="ExistingCompletionPort"/> null: a new port not associated with anything
    /// (<paramref name="NumberOfConcurrentThreads"/>: how many released threads may run at once, 0 = the processor
    /// count). A socket handle (<c>(HANDLE)s</c>): associated with <paramref name="ExistingCompletionPort"/> (which is
    /// returned), or with a new port when that is null; every overlapped operation on the socket then queues a packet
    /// carrying <paramref name="CompletionKey"/> when it completes (unless it has a completion routine, or its hEvent has
    /// the low bit set). Null on failure: ERROR_INVALID_PARAMETER (INVALID_HANDLE_VALUE with an existing port; a handle
    /// already associated), ERROR_INVALID_HANDLE (not a socket, or the port is not an open completion port).
    /// </summary>
    public static HANDLE? CreateIoCompletionPort(HANDLE FileHandle, HANDLE? ExistingCompletionPort, nuint CompletionKey,
        uint NumberOfConcurrentThreads)
    {
        try
        {
            if (FileHandle is null) return Fail<HANDLE>(Ws2Spi.ERROR_INVALID_HANDLE);
            if (FileHandle.Value == -1)
            {
                if (ExistingCompletionPort is not null) return Fail<HANDLE>(Ws2Spi.ERROR_INVALID_PARAMETER);
                return CompletionPort.Create(NumberOfConcurrentThreads);
            }
            var file = IoFiles.Find(FileHandle.Value);
            if (file is null) return Fail<HANDLE>(Ws2Spi.ERROR_INVALID_HANDLE);
            var portHandle = ExistingCompletionPort ?? CompletionPort.Create(NumberOfConcurrentThreads);
            if (!CompletionPort.TryGet(portHandle, out var port)) return Fail<HANDLE>(Ws2Spi.ERROR_INVALID_HANDLE);
            if (!file.TryBind(new CompletionBinding(port, CompletionKey)))
            {
                if (ExistingCompletionPort is null) CompletionPort.Close(portHandle);
                return Fail<HANDLE>(Ws2Spi.ERROR_INVALID_PARAMETER);
            }
            IoFiles.Associated(FileHandle.Value, file);
            return portHandle;
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("CreateIoCompletionPort", e);
            return Fail<HANDLE>(Ws2Spi.ERROR_INVALID_PARAMETER);
        }
    }

    /// <summary><see cref="CreateIoCompletionPort(HANDLE, HANDLE?, nuint, uint)"/> for a socket, without the cast.</summary>
    public static HANDLE? CreateIoCompletionPort(SOCKET FileHandle, HANDLE? ExistingCompletionPort, nuint CompletionKey,
        uint NumberOfConcurrentThreads) =>
        CreateIoCompletionPort((HANDLE)FileHandle, ExistingCompletionPort, CompletionKey, NumberOfConcurrentThreads);

    /// <summary>
    /// Takes one packet from the port, waiting at most <paramref name="dwMilliseconds"/> (INFINITE: no limit). TRUE for a
    /// successful operation's packet (or a posted one). FALSE with <paramref name="lpOverlapped"/> set: the operation
    /// failed; GetLastError is its error as Windows reports it (ERROR_OPERATION_ABORTED for an operation closesocket
    /// cancelled, ERROR_NETNAME_DELETED for a reset connection; WSAGetOverlappedResult gives the Winsock code). FALSE
    /// with <paramref name="lpOverlapped"/> null: nothing was taken — WAIT_TIMEOUT, ERROR_ABANDONED_WAIT_0 (the port was
    /// closed while waiting), ERROR_INVALID_HANDLE (not an open port).
    /// </summary>
    public static bool GetQueuedCompletionStatus(HANDLE CompletionPort, out uint lpNumberOfBytesTransferred,
        out nuint lpCompletionKey, out WSAOVERLAPPED? lpOverlapped, uint dwMilliseconds)
    {
        lpNumberOfBytesTransferred = 0;
        lpCompletionKey = 0;
        lpOverlapped = null;
        try
        {
            if (!Kernel.CompletionPort.TryGet(CompletionPort, out var port)) return Fail(Ws2Spi.ERROR_INVALID_HANDLE);
            var one = t_one ??= new OVERLAPPED_ENTRY[1];
            if (port.Dequeue(one, 1, dwMilliseconds, alertable: false, out int error) == 0) return Fail(error);
            var p = one[0];
            one[0] = default; // do not keep the caller's structure alive
            lpNumberOfBytesTransferred = p.dwNumberOfBytesTransferred;
            lpCompletionKey = p.lpCompletionKey;
            lpOverlapped = p.lpOverlapped;
            return p.Internal == 0 || Fail((int)p.Internal);
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("GetQueuedCompletionStatus", e);
            return Fail(Ws2Spi.ERROR_INVALID_PARAMETER);
        }
    }

    [ThreadStatic] private static OVERLAPPED_ENTRY[]? t_one;

    /// <summary>
    /// Takes up to <paramref name="ulCount"/> packets in one call (as many as are queued, at least one), waiting at most
    /// <paramref name="dwMilliseconds"/>. TRUE with <paramref name="ulNumEntriesRemoved"/> entries filled (each entry's
    /// Internal is its status: 0, or the error GetQueuedCompletionStatus would report). FALSE with none: WAIT_TIMEOUT;
    /// WAIT_IO_COMPLETION (<paramref name="fAlertable"/> and APCs or completion routines ran on this thread);
    /// ERROR_ABANDONED_WAIT_0; ERROR_INVALID_HANDLE; ERROR_INVALID_PARAMETER (no array, ulCount 0 or longer than it).
    /// </summary>
    public static bool GetQueuedCompletionStatusEx(HANDLE CompletionPort, OVERLAPPED_ENTRY[] lpCompletionPortEntries, uint ulCount,
        out uint ulNumEntriesRemoved, uint dwMilliseconds, bool fAlertable)
    {
        ulNumEntriesRemoved = 0;
        try
        {
            if (lpCompletionPortEntries is null || ulCount == 0 || ulCount > lpCompletionPortEntries.Length)
                return Fail(Ws2Spi.ERROR_INVALID_PARAMETER);
            if (!Kernel.CompletionPort.TryGet(CompletionPort, out var port)) return Fail(Ws2Spi.ERROR_INVALID_HANDLE);
            int n = port.Dequeue(lpCompletionPortEntries, (int)ulCount, dwMilliseconds, fAlertable, out int error);
            if (n == 0) return Fail(error);
            ulNumEntriesRemoved = (uint)n;
            return true;
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("GetQueuedCompletionStatusEx", e);
            return Fail(Ws2Spi.ERROR_INVALID_PARAMETER);
        }
    }

    /// <summary>
    /// Queues a packet of the caller's own (bytes, key, overlapped — any values; a waiting thread gets TRUE and them).
    /// FALSE with ERROR_INVALID_HANDLE when the port is not open.
    /// </summary>
    public static bool PostQueuedCompletionStatus(HANDLE CompletionPort, uint dwNumberOfBytesTransferred, nuint dwCompletionKey,
        WSAOVERLAPPED? lpOverlapped)
    {
        try
        {
            if (!Kernel.CompletionPort.TryGet(CompletionPort, out var port)
                || !port.Post(dwCompletionKey, lpOverlapped, dwNumberOfBytesTransferred, 0))
                return Fail(Ws2Spi.ERROR_INVALID_HANDLE);
            return true;
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("PostQueuedCompletionStatus", e);
            return Fail(Ws2Spi.ERROR_INVALID_PARAMETER);
        }
    }

    /// <summary>
    /// Closes a completion port: threads waiting on it return FALSE with ERROR_ABANDONED_WAIT_0, queued packets are
    /// dropped, later completions of its sockets queue nothing. FALSE with ERROR_INVALID_HANDLE for anything that is not
    /// an open port (a socket is closed with closesocket, an event with WSACloseEvent).
    /// </summary>
    public static bool CloseHandle(HANDLE hObject)
    {
        try
        {
            return Kernel.CompletionPort.Close(hObject) || Fail(Ws2Spi.ERROR_INVALID_HANDLE);
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("CloseHandle", e);
            return Fail(Ws2Spi.ERROR_INVALID_HANDLE);
        }
    }

    /// <summary>
    /// Sets completion notification modes on a socket (they cannot be cleared). FILE_SKIP_COMPLETION_PORT_ON_SUCCESS:
    /// an overlapped operation that succeeds at once (its call returns 0) queues no packet — the caller handles it
    /// inline; one that pends or fails still does. FILE_SKIP_SET_EVENT_ON_HANDLE is accepted: no socket handle is a
    /// waitable object here, so there is no handle event to skip (an OVERLAPPED's hEvent is still set). FALSE with
    /// ERROR_INVALID_HANDLE (not a socket) or ERROR_INVALID_PARAMETER (other bits).
    /// </summary>
    public static bool SetFileCompletionNotificationModes(HANDLE FileHandle, byte Flags)
    {
        try
        {
            if ((Flags & ~(Ws2Spi.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | Ws2Spi.FILE_SKIP_SET_EVENT_ON_HANDLE)) != 0)
                return Fail(Ws2Spi.ERROR_INVALID_PARAMETER);
            if (FileHandle is null || IoFiles.Find(FileHandle.Value) is not { } file) return Fail(Ws2Spi.ERROR_INVALID_HANDLE);
            file.AddModes(Flags);
            return true;
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("SetFileCompletionNotificationModes", e);
            return Fail(Ws2Spi.ERROR_INVALID_PARAMETER);
        }
    }

    /// <summary><see cref="SetFileCompletionNotificationModes(HANDLE, byte)"/> for a socket, without the cast.</summary>
    public static bool SetFileCompletionNotificationModes(SOCKET FileHandle, byte Flags) =>
        SetFileCompletionNotificationModes((HANDLE)FileHandle, Flags);

    /// <summary>The calling thread's last error (the value WSAGetLastError reads).</summary>
    public static uint GetLastError() => unchecked((uint)ThreadContext.Current.LastError);

    /// <summary>Sets the calling thread's last error.</summary>
    public static void SetLastError(uint dwErrCode) => ThreadContext.Current.LastError = unchecked((int)dwErrCode);

    private static bool Fail(int error)
    {
        ThreadContext.Current.LastError = error;
        return false;
    }

    private static T? Fail<T>(int error) where T : class
    {
        ThreadContext.Current.LastError = error;
        return null;
    }
}
