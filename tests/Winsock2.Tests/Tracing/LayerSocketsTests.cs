using Winsock2.Providers.Tracing;

namespace Winsock2.Tests.Tracing;

/// <summary>
/// The lower→layer handle map behind WSAAsyncSelect translation, driven directly: a message the next provider posts for
/// a socket the layer has not wrapped yet is held and posted, translated and in order, once it is wrapped.
/// </summary>
public class LayerSocketsTests
{
    /// <summary>Records posts; every other upcall is unused here.</summary>
    private sealed class Recorder : WSPUPCALLTABLE
    {
        public readonly List<MSG> Posted = new();
        public bool WPUPostMessage(HWND hWnd, uint Msg, nuint wParam, nint lParam) { Posted.Add(new MSG(hWnd, Msg, wParam, lParam)); return true; }
        public bool WPUCloseEvent(WSAEVENT hEvent, out int lpErrno) => throw new NotSupportedException();
        public int WPUCloseSocketHandle(SOCKET s, out int lpErrno) => throw new NotSupportedException();
        public WSAEVENT WPUCreateEvent(out int lpErrno) => throw new NotSupportedException();
        public SOCKET WPUCreateSocketHandle(uint dwCatalogEntryId, object? dwContext, out int lpErrno) => throw new NotSupportedException();
        public int WPUFDIsSet(SOCKET s, fd_set fdset) => throw new NotSupportedException();
        public int WPUGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno) => throw new NotSupportedException();
        public SOCKET WPUModifyIFSHandle(uint dwCatalogEntryId, SOCKET ProposedHandle, out int lpErrno) => throw new NotSupportedException();
        public int WPUQueryBlockingCallback(uint dwCatalogEntryId, out LPBLOCKINGCALLBACK? lplpfnCallback, out nuint lpdwContext, out int lpErrno) => throw new NotSupportedException();
        public int WPUQuerySocketHandleContext(SOCKET s, out object? lpContext, out int lpErrno) => throw new NotSupportedException();
        public int WPUQueueApc(WSATHREADID lpThreadId, LPWSAUSERAPC lpfnUserApc, object? dwContext, out int lpErrno) => throw new NotSupportedException();
        public bool WPUResetEvent(WSAEVENT hEvent, out int lpErrno) => throw new NotSupportedException();
        public bool WPUSetEvent(WSAEVENT hEvent, out int lpErrno) => throw new NotSupportedException();
        public int WPUOpenCurrentThread(WSATHREADID lpThreadId, out int lpErrno) => throw new NotSupportedException();
        public int WPUCloseThread(WSATHREADID lpThreadId, out int lpErrno) => throw new NotSupportedException();
    }

    private static readonly HWND Window = new(0x100);

    [Fact]
    public void LayerSockets_PostBeforeWrap_HeldThenPostedTranslatedInOrder()
    {
        var map = new LayerSockets();
        var up = new Recorder();
        var lower = new SOCKET(0x208);
        var layer = new SOCKET(0x20C);
        Assert.True(map.Post(up, Window, 0x401, lower.Value, 2, _ => true, out _, out var first));
        Assert.True(map.Post(up, Window, 0x401, lower.Value, 1, _ => true, out _, out var second));
        Assert.Equal(PostOutcome.Held, first);
        Assert.Equal(PostOutcome.Held, second);
        Assert.Empty(up.Posted);

        var released = new List<SOCKET>();
        map.Add(lower, layer, up, (_, s) => released.Add(s));
        Assert.Equal(new[] { (layer.Value, (nint)2), (layer.Value, (nint)1) }, up.Posted.Select(m => (m.wParam, m.lParam)));
        Assert.Equal(new[] { layer, layer }, released);

        Assert.True(map.Post(up, Window, 0x401, lower.Value, 32, _ => true, out var now, out var outcome));
        Assert.Equal(PostOutcome.Posted, outcome);
        Assert.Equal(layer, now);
        Assert.Equal(layer.Value, up.Posted[^1].wParam);
    }

    [Fact]
    public void LayerSockets_PostForClosedSocket_Dropped()
    {
        var map = new LayerSockets();
        var up = new Recorder();
        var lower = new SOCKET(0x308);
        map.Add(lower, new SOCKET(0x30C), up, null);
        map.Remove(lower);
        Assert.False(map.Post(up, Window, 0x401, lower.Value, 32, _ => false, out _, out var outcome));
        Assert.Equal(PostOutcome.Dropped, outcome);
        Assert.Empty(up.Posted);
    }

    [Fact]
    public void LayerSockets_RemoveBeforeWrap_HeldMessagesDropped()
    {
        var map = new LayerSockets();
        var up = new Recorder();
        var lower = new SOCKET(0x408);
        map.Post(up, Window, 0x401, lower.Value, 1, _ => true, out _, out _);
        map.Remove(lower); // wrapping failed, or the next provider closed the handle itself
        map.Add(lower, new SOCKET(0x40C), up, null);
        Assert.Empty(up.Posted);
    }
}
