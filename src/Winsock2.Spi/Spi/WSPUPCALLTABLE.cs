namespace Winsock2;

/// <summary>
/// The upcall table (ws2spi.h WSPUPCALLTABLE): the 15 WPU* functions the API layer gives every provider at
/// WSPStartup. Layered providers pass it on unchanged.
/// </summary>
public interface WSPUPCALLTABLE
{
    /// <summary>Closes an event made by WPUCreateEvent.</summary>
    bool WPUCloseEvent(WSAEVENT hEvent, out int lpErrno);
    /// <summary>Releases a handle made by WPUCreateSocketHandle.</summary>
    int WPUCloseSocketHandle(SOCKET s, out int lpErrno);
    /// <summary>Creates a manual-reset event.</summary>
    WSAEVENT WPUCreateEvent(out int lpErrno);
    /// <summary>
    /// Makes a socket handle for a non-IFS provider, carrying <paramref name="dwContext"/> (WSAENOBUFS on failure).
    /// The context may be null, as C allows a context of 0; WPUQuerySocketHandleContext then returns null with success.
    /// </summary>
    SOCKET WPUCreateSocketHandle(uint dwCatalogEntryId, object? dwContext, out int lpErrno);
    /// <summary>Nonzero if <paramref name="s"/> is in <paramref name="fdset"/>.</summary>
    int WPUFDIsSet(SOCKET s, fd_set fdset);
    /// <summary>The path (assembly-qualified .NET type name) of a provider.</summary>
    int WPUGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno);
    /// <summary>Registers an IFS provider's proposed handle with the API layer.</summary>
    SOCKET WPUModifyIFSHandle(uint dwCatalogEntryId, SOCKET ProposedHandle, out int lpErrno);
    /// <summary>Posts a message to a WSAAsyncSelect window.</summary>
    bool WPUPostMessage(HWND hWnd, uint Msg, nuint wParam, nint lParam);
    /// <summary>The callback a provider calls while it blocks (FALSE = the call was cancelled).</summary>
    int WPUQueryBlockingCallback(uint dwCatalogEntryId, out LPBLOCKINGCALLBACK? lplpfnCallback, out nuint lpdwContext, out int lpErrno);
    /// <summary>The context stored with a handle by WPUCreateSocketHandle, possibly null (WSAENOTSOCK if unknown).</summary>
    int WPUQuerySocketHandleContext(SOCKET s, out object? lpContext, out int lpErrno);
    /// <summary>Queues an APC to the thread named by <paramref name="lpThreadId"/>.</summary>
    int WPUQueueApc(WSATHREADID lpThreadId, LPWSAUSERAPC lpfnUserApc, object? dwContext, out int lpErrno);
    /// <summary>Resets an event.</summary>
    bool WPUResetEvent(WSAEVENT hEvent, out int lpErrno);
    /// <summary>Signals an event.</summary>
    bool WPUSetEvent(WSAEVENT hEvent, out int lpErrno);
    /// <summary>Fills a WSATHREADID for the calling thread.</summary>
    int WPUOpenCurrentThread(WSATHREADID lpThreadId, out int lpErrno);
    /// <summary>Releases a WSATHREADID from WPUOpenCurrentThread.</summary>
    int WPUCloseThread(WSATHREADID lpThreadId, out int lpErrno);
}
