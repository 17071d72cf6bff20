namespace Winsock2.Providers.Tracing;

/// <summary>
/// The upcall table the layer hands to the next provider. Every upcall goes to the API layer's table unchanged except
/// two: WPUPostMessage, whose wParam (the next provider's socket handle) is translated to the layer's handle, so an
/// application's WSAAsyncSelect window sees the handle it selected on; and WPUCloseSocketHandle, which also tells the
/// handle map that the lower socket is gone. (A Windows LSP does the same job with a hidden window of its own that
/// re-posts each message; without a window to create, the layer intercepts the post instead. Event objects, overlapped
/// completions and APCs carry no socket handle and pass through untouched.)
/// </summary>
internal sealed class UpcallProxy(WSPUPCALLTABLE upcalls, LayerSockets sockets, TraceLog log) : WSPUPCALLTABLE
{
    /// <summary>Posts a message of the next provider with its socket translated (held until wrapped if need be).</summary>
    public bool WPUPostMessage(HWND hWnd, uint Msg, nuint wParam, nint lParam)
    {
        bool ok = sockets.Post(upcalls, hWnd, Msg, wParam, lParam, IsLive, out var layer, out var outcome);
        var lower = new SOCKET(wParam);
        log.Write(outcome switch
        {
            PostOutcome.Posted => $"WPUPostMessage({Describe(hWnd, Msg, lParam)}, s={layer} lower={lower}) = {(ok ? "TRUE" : "FALSE")}",
            PostOutcome.Held => $"WPUPostMessage({Describe(hWnd, Msg, lParam)}, lower={lower}) held until the layer's handle exists",
            _ => $"WPUPostMessage({Describe(hWnd, Msg, lParam)}, lower={lower}) dropped: socket closed",
        });
        return ok;
    }

    /// <summary>The trace of a held message posted once its handle is wrapped.</summary>
    public void TraceReleased(MSG m, SOCKET layer) =>
        log.Write($"WPUPostMessage({Describe(m.hwnd, m.message, m.lParam)}, s={layer} lower={new SOCKET(m.wParam)}) = TRUE (was held)");

    private static string Describe(HWND hWnd, uint msg, nint lParam)
    {
        int ev = (int)(lParam & 0xFFFF), error = (int)((lParam >> 16) & 0xFFFF);
        return $"hWnd=0x{hWnd?.Value ?? 0:X}, msg=0x{msg:X}, {TraceFormat.Events(ev)}, error={ErrorNames.Status(error)}";
    }

    private bool IsLive(SOCKET lower) => upcalls.WPUQuerySocketHandleContext(lower, out _, out _) == 0;

    public int WPUCloseSocketHandle(SOCKET s, out int lpErrno)
    {
        int rc = upcalls.WPUCloseSocketHandle(s, out lpErrno);
        sockets.Remove(s);
        return rc;
    }

    // Everything else is the API layer's own upcall, unchanged.
    public bool WPUCloseEvent(WSAEVENT hEvent, out int lpErrno) => upcalls.WPUCloseEvent(hEvent, out lpErrno);
    public WSAEVENT WPUCreateEvent(out int lpErrno) => upcalls.WPUCreateEvent(out lpErrno);
    public SOCKET WPUCreateSocketHandle(uint dwCatalogEntryId, object? dwContext, out int lpErrno) =>
        upcalls.WPUCreateSocketHandle(dwCatalogEntryId, dwContext, out lpErrno);
    public int WPUFDIsSet(SOCKET s, fd_set fdset) => upcalls.WPUFDIsSet(s, fdset);
    public int WPUGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno) =>
        upcalls.WPUGetProviderPath(lpProviderId, out lpszProviderDllPath, out lpErrno);
    public SOCKET WPUModifyIFSHandle(uint dwCatalogEntryId, SOCKET ProposedHandle, out int lpErrno) =>
        upcalls.WPUModifyIFSHandle(dwCatalogEntryId, ProposedHandle, out lpErrno);
    public int WPUQueryBlockingCallback(uint dwCatalogEntryId, out LPBLOCKINGCALLBACK? lplpfnCallback, out nuint lpdwContext, out int lpErrno) =>
        upcalls.WPUQueryBlockingCallback(dwCatalogEntryId, out lplpfnCallback, out lpdwContext, out lpErrno);
    public int WPUQuerySocketHandleContext(SOCKET s, out object? lpContext, out int lpErrno) =>
        upcalls.WPUQuerySocketHandleContext(s, out lpContext, out lpErrno);
    public int WPUQueueApc(WSATHREADID lpThreadId, LPWSAUSERAPC lpfnUserApc, object? dwContext, out int lpErrno) =>
        upcalls.WPUQueueApc(lpThreadId, lpfnUserApc, dwContext, out lpErrno);
    public bool WPUResetEvent(WSAEVENT hEvent, out int lpErrno) => upcalls.WPUResetEvent(hEvent, out lpErrno);
    public bool WPUSetEvent(WSAEVENT hEvent, out int lpErrno) => upcalls.WPUSetEvent(hEvent, out lpErrno);
    public int WPUOpenCurrentThread(WSATHREADID lpThreadId, out int lpErrno) => upcalls.WPUOpenCurrentThread(lpThreadId, out lpErrno);
    public int WPUCloseThread(WSATHREADID lpThreadId, out int lpErrno) => upcalls.WPUCloseThread(lpThreadId, out lpErrno);
}
