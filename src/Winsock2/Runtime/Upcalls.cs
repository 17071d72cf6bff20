using Winsock2.Kernel;
namespace Winsock2.Runtime;

/// <summary>The API layer's implementation of every WPU* upcall.</summary>
internal sealed class Upcalls : WSPUPCALLTABLE
{
    public static readonly Upcalls Instance = new();

    private Upcalls() { }

    public bool WPUCloseEvent(WSAEVENT hEvent, out int lpErrno)
    {
        bool ok = Events.Close(hEvent);
        lpErrno = ok ? 0 : Ws2_32.WSA_INVALID_HANDLE;
        return ok;
    }

    /// <summary>Releases a WPUCreateSocketHandle handle; an IFS handle was not made here: WSAENOTSOCK (closesocket drops it).</summary>
    public int WPUCloseSocketHandle(SOCKET s, out int lpErrno)
    {
        bool ok = ApiInstance.Sockets.TryGet(s.Value, out var entry) && !entry.IsIfs && ApiInstance.Sockets.TryRemove(s.Value, entry);
        lpErrno = ok ? 0 : Ws2_32.WSAENOTSOCK;
        return ok ? 0 : Ws2_32.SOCKET_ERROR;
    }

    public WSAEVENT WPUCreateEvent(out int lpErrno)
    {
        lpErrno = 0;
        return Events.Create();
    }

    public SOCKET WPUCreateSocketHandle(uint dwCatalogEntryId, object? dwContext, out int lpErrno)
    {
        // A null context is allowed (C passes a DWORD_PTR of 0); WPUQuerySocketHandleContext then gives null back.
        lpErrno = 0;
        return new SOCKET(ApiInstance.Sockets.Add(new SocketEntry(dwCatalogEntryId, dwContext)));
    }

    public int WPUFDIsSet(SOCKET s, fd_set fdset) => fdset is not null && fdset.Contains(s) ? 1 : 0;

    public int WPUGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno)
    {
        string? path;
        try { path = ProtocolCatalog.ProviderPath(lpProviderId); }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("WPUGetProviderPath", e);
            lpszProviderDllPath = "";
            lpErrno = Ws2_32.WSANO_RECOVERY;
            return Ws2_32.SOCKET_ERROR;
        }
        lpszProviderDllPath = path ?? "";
        lpErrno = path is null ? Ws2_32.WSAEINVAL : 0;
        return path is null ? Ws2_32.SOCKET_ERROR : 0;
    }

    /// <summary>
    /// Windows returns the proposed handle unchanged: the provider keeps using its own value, and the API layer only
    /// records that the value belongs to <paramref name="dwCatalogEntryId"/> so dispatch finds the provider (which
    /// then gets that same value in every WSP call). WSAEINVAL for INVALID_SOCKET or 0, or a value the handle table
    /// already uses or generated before (see <see cref="HandleTable{T}"/>).
    /// </summary>
    public SOCKET WPUModifyIFSHandle(uint dwCatalogEntryId, SOCKET ProposedHandle, out int lpErrno)
    {
        if (!ProposedHandle.IsValid || ProposedHandle.Value == 0
            || !ApiInstance.Sockets.TryInsert(ProposedHandle.Value, new SocketEntry(dwCatalogEntryId, null, isIfs: true)))
        {
            lpErrno = Ws2_32.WSAEINVAL;
            return SOCKET.Invalid;
        }
        lpErrno = 0;
        return ProposedHandle;
    }

    public bool WPUPostMessage(HWND hWnd, uint Msg, nuint wParam, nint lParam) => MessageWindows.Post(hWnd, Msg, wParam, lParam);

    public int WPUQueryBlockingCallback(uint dwCatalogEntryId, out LPBLOCKINGCALLBACK? lplpfnCallback, out nuint lpdwContext, out int lpErrno)
    {
        lplpfnCallback = BlockingCallback;
        lpdwContext = dwCatalogEntryId;
        lpErrno = 0;
        return 0;
    }

    /// <summary>Runs APCs queued to the blocking thread; FALSE once the blocking call was cancelled.</summary>
    private static bool BlockingCallback(nuint context)
    {
        var ctx = ThreadContext.Current;
        if (ctx.HasApcs) ctx.RunApcs();
        return !ctx.CancelBlocking;
    }

    /// <summary>
    /// The context WPUCreateSocketHandle stored (possibly null). An IFS handle has none: "only non-IFS providers use
    /// this function, because IFS providers are not able to supply a context value", and its error is "not a socket
    /// created by WPUCreateSocketHandle", so an IFS handle gets WSAENOTSOCK like an unknown one.
    /// </summary>
    public int WPUQuerySocketHandleContext(SOCKET s, out object? lpContext, out int lpErrno)
    {
        if (ApiInstance.Sockets.TryGet(s.Value, out var entry) && !entry.IsIfs)
        {
            lpContext = entry.Context;
            lpErrno = 0;
            return 0;
        }
        lpContext = null;
        lpErrno = Ws2_32.WSAENOTSOCK;
        return Ws2_32.SOCKET_ERROR;
    }

    public int WPUQueueApc(WSATHREADID lpThreadId, LPWSAUSERAPC lpfnUserApc, object? dwContext, out int lpErrno)
    {
        if (lpThreadId is null || lpfnUserApc is null)
        {
            lpErrno = Ws2_32.WSAEFAULT;
            return Ws2_32.SOCKET_ERROR;
        }
        if (!ThreadRegistry.TryGet(lpThreadId.ThreadHandle, out var ctx) || !ctx.QueueApc(lpfnUserApc, dwContext))
        {
            lpErrno = Ws2_32.WSAEINVAL;
            return Ws2_32.SOCKET_ERROR;
        }
        lpErrno = 0;
        return 0;
    }

    public bool WPUResetEvent(WSAEVENT hEvent, out int lpErrno)
    {
        bool ok = Events.Reset(hEvent);
        lpErrno = ok ? 0 : Ws2_32.WSA_INVALID_HANDLE;
        return ok;
    }

    public bool WPUSetEvent(WSAEVENT hEvent, out int lpErrno)
    {
        bool ok = Events.Set(hEvent);
        lpErrno = ok ? 0 : Ws2_32.WSA_INVALID_HANDLE;
        return ok;
    }

    public int WPUOpenCurrentThread(WSATHREADID lpThreadId, out int lpErrno)
    {
        if (lpThreadId is null) { lpErrno = Ws2_32.WSAEFAULT; return Ws2_32.SOCKET_ERROR; }
        lpThreadId.ThreadHandle = ThreadContext.Current.Handle;
        lpThreadId.Reserved = 0;
        lpErrno = 0;
        return 0;
    }

    public int WPUCloseThread(WSATHREADID lpThreadId, out int lpErrno)
    {
        if (lpThreadId is null) { lpErrno = Ws2_32.WSAEFAULT; return Ws2_32.SOCKET_ERROR; }
        lpThreadId.ThreadHandle = 0;
        lpErrno = 0;
        return 0;
    }
}
