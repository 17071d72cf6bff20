using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Spi;

/// <summary>The WPU* upcalls, exercised through the table a test provider received at WSPStartup (SPEC §1).</summary>
public class UpcallTests : ProviderTest<TestProvider>
{
    private readonly WSPUPCALLTABLE _up;

    public UpcallTests()
    {
        var s = TestSocket();
        Ok(closesocket(s));
        _up = TestProvider.LastUpcalls ?? throw new InvalidOperationException("WSPStartup did not run");
    }

    [Fact]
    public void WPUCreateSocketHandle_QueryAndClose_RoundTrip()
    {
        var context = new object();
        var h = _up.WPUCreateSocketHandle(EntryId, context, out int errno);
        Assert.True(h.IsValid);
        Assert.Equal(0, errno);

        Assert.Equal(0, _up.WPUQuerySocketHandleContext(h, out var back, out errno));
        Assert.Equal(0, errno);
        Assert.Same(context, back);

        // The API layer dispatches calls on the handle to the entry it was made for.
        var other = _up.WPUCreateSocketHandle(EntryId, new TestSocket(Provider.Entries[0], TestCatalog.TestAf2, SOCK_STREAM, 7, 0), out _);
        Assert.Equal(0, getsockopt(other, SOL_SOCKET, SO_TYPE, out int type));
        Assert.Equal(SOCK_STREAM, type);
        Ok(closesocket(other));
        Assert.NotEqual(h, other);

        Assert.Equal(0, _up.WPUCloseSocketHandle(h, out errno));
        Assert.Equal(0, errno);
        Assert.Equal(SOCKET_ERROR, _up.WPUQuerySocketHandleContext(h, out back, out errno));
        Assert.Equal(WSAENOTSOCK, errno);
        Assert.Null(back);
        Assert.Equal(SOCKET_ERROR, _up.WPUCloseSocketHandle(h, out errno));
        Assert.Equal(WSAENOTSOCK, errno);
        Fails(WSAENOTSOCK, closesocket(h));
    }

    [Fact]
    public void WPUCreateSocketHandle_NullContext_AcceptedAndQueriedBackAsNull()
    {
        // C allows a context of 0: the handle is made, and querying it succeeds with a null context.
        var h = _up.WPUCreateSocketHandle(EntryId, null, out int errno);
        Assert.True(h.IsValid);
        Assert.Equal(0, errno);
        Assert.Equal(0, _up.WPUQuerySocketHandleContext(h, out var back, out errno));
        Assert.Equal(0, errno);
        Assert.Null(back);

        // A second null-context handle is a different handle; each is found, and each is released on its own.
        var h2 = _up.WPUCreateSocketHandle(EntryId, null, out errno);
        Assert.True(h2.IsValid);
        Assert.NotEqual(h, h2);
        Assert.Equal(0, _up.WPUCloseSocketHandle(h, out errno));
        Assert.Equal(SOCKET_ERROR, _up.WPUQuerySocketHandleContext(h, out _, out errno));
        Assert.Equal(WSAENOTSOCK, errno);
        Assert.Equal(0, _up.WPUQuerySocketHandleContext(h2, out back, out errno));
        Assert.Null(back);
        Assert.Equal(0, _up.WPUCloseSocketHandle(h2, out errno));
        Assert.Equal(0, errno);
    }

    [Fact]
    public void WPUQuerySocketHandleContext_UnknownHandle_WSAENOTSOCK()
    {
        Assert.Equal(SOCKET_ERROR, _up.WPUQuerySocketHandleContext(new SOCKET(0x7FFF_FFF0), out _, out int errno));
        Assert.Equal(WSAENOTSOCK, errno);
    }

    [Fact]
    public void WPUCreateEvent_SetResetClose()
    {
        var e = _up.WPUCreateEvent(out int errno);
        Assert.True(e.IsValid);
        Assert.Equal(0, errno);
        // Manual-reset, initially nonsignalled.
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [e], false, 0, false));
        Assert.True(_up.WPUSetEvent(e, out errno));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [e], false, 0, false));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [e], false, 0, false)); // stays signalled
        Assert.True(_up.WPUResetEvent(e, out errno));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [e], false, 0, false));
        // It is the same kind of object as WSACreateEvent's.
        Assert.True(WSASetEvent(e));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [e], false, 0, false));
        Assert.True(_up.WPUCloseEvent(e, out errno));
        Assert.Equal(0, errno);
        Assert.False(_up.WPUSetEvent(e, out errno));
        Assert.Equal(WSA_INVALID_HANDLE, errno);
        Assert.False(_up.WPUResetEvent(e, out errno));
        Assert.Equal(WSA_INVALID_HANDLE, errno);
        Assert.False(_up.WPUCloseEvent(e, out errno));
        Assert.Equal(WSA_INVALID_HANDLE, errno);
    }

    [Fact]
    public void WPUSetEvent_FromAnotherThread_WakesAWaiter()
    {
        var e = _up.WPUCreateEvent(out _);
        var t = Run(() => _up.WPUSetEvent(e, out _));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [e], false, 10000, false));
        Assert.True(t.Join(10000));
        Assert.True(_up.WPUCloseEvent(e, out _));
    }

    [Fact]
    public void WPUQueueApc_RunsOnlyDuringAlertableWait()
    {
        var tid = new WSATHREADID();
        Assert.Equal(0, _up.WPUOpenCurrentThread(tid, out int errno));
        Assert.Equal(0, errno);
        int ranOn = -1, runs = 0;
        object? seen = null;
        var ctx = new object();
        Assert.Equal(0, _up.WPUQueueApc(tid, c => { seen = c; runs++; ranOn = Environment.CurrentManagedThreadId; }, ctx, out errno));
        Assert.Equal(0, errno);

        // Non-alertable waits never run it.
        Assert.Equal(0u, SleepEx(20, false));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [WSACreateEvent()], false, 20, false));
        Assert.Equal(0, runs);

        // An alertable wait does, on this thread, and reports it.
        Assert.Equal(WSA_WAIT_IO_COMPLETION, SleepEx(10000, true));
        Assert.Equal(1, runs);
        Assert.Same(ctx, seen);
        Assert.Equal(Environment.CurrentManagedThreadId, ranOn);
        // Once only.
        Assert.Equal(0u, SleepEx(0, true));
        Assert.Equal(1, runs);
        Assert.Equal(0, _up.WPUCloseThread(tid, out errno));
    }

    [Fact]
    public void WPUQueueApc_FromAnotherThread_RunsInTargetsAlertableWait()
    {
        var tid = new WSATHREADID();
        Assert.Equal(0, _up.WPUOpenCurrentThread(tid, out _));
        int ranOn = -1, rc = -1, errno = -1;
        var queuer = Run(() =>
        {
            Thread.Sleep(20); // let the target block first (either order is correct)
            rc = _up.WPUQueueApc(tid, _ => ranOn = Environment.CurrentManagedThreadId, null, out errno);
        });
        var ev = WSACreateEvent();
        Assert.Equal(WSA_WAIT_IO_COMPLETION, WSAWaitForMultipleEvents(1, [ev], false, 10000, true));
        Assert.True(queuer.Join(10000));
        Assert.Equal(0, rc);
        Assert.Equal(0, errno);
        Assert.Equal(Environment.CurrentManagedThreadId, ranOn);
        Assert.NotEqual(queuer.ManagedThreadId, ranOn);
        Assert.True(WSACloseEvent(ev));
    }

    [Fact]
    public void WPUQueueApc_ToThreadInNonAlertableWait_WaitsForAnAlertableOne()
    {
        var tid = new WSATHREADID();
        var ready = new ManualResetEventSlim();
        var queued = new ManualResetEventSlim();
        int runsDuringNonAlertable = -1, alertable = -1, runs = 0;
        var target = Run(() =>
        {
            _up.WPUOpenCurrentThread(tid, out _);
            ready.Set();
            queued.Wait(10000);
            SleepEx(20, false);
            runsDuringNonAlertable = runs;
            alertable = (int)SleepEx(10000, true);
        });
        Assert.True(ready.Wait(10000));
        Assert.Equal(0, _up.WPUQueueApc(tid, _ => runs++, null, out _));
        queued.Set();
        Assert.True(target.Join(20000));
        Assert.Equal(0, runsDuringNonAlertable);
        Assert.Equal((int)WSA_WAIT_IO_COMPLETION, alertable);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void WPUQueueApc_BadArguments_Fail()
    {
        Assert.Equal(SOCKET_ERROR, _up.WPUQueueApc(null!, _ => { }, null, out int errno));
        Assert.Equal(WSAEFAULT, errno);
        Assert.Equal(SOCKET_ERROR, _up.WPUQueueApc(new WSATHREADID { ThreadHandle = 0x7FFF_FFF0 }, _ => { }, null, out errno));
        Assert.Equal(WSAEINVAL, errno);
    }

    [Fact]
    public void WPUPostMessage_ToWindow_Delivered()
    {
        var hwnd = CreateMessageWindow();
        Assert.True(_up.WPUPostMessage(hwnd, 0x0401, 0x1234, (nint)((WSAECONNRESET << 16) | FD_CLOSE)));
        Assert.True(GetMessage(out var msg, hwnd, 10000));
        Assert.Same(hwnd, msg.hwnd);
        Assert.Equal(0x0401u, msg.message);
        Assert.Equal((nuint)0x1234, msg.wParam);
        Assert.Equal(FD_CLOSE, WSAGETSELECTEVENT(msg.lParam));
        Assert.Equal(WSAECONNRESET, WSAGETSELECTERROR(msg.lParam));
        Assert.True(DestroyWindow(hwnd));
        Assert.False(_up.WPUPostMessage(hwnd, 0x0401, 0, 0)); // destroyed
    }

    [Fact]
    public void WPUFDIsSet_MembershipOfSet()
    {
        var a = new SOCKET(0x200);
        var b = new SOCKET(0x204);
        var set = fd_set.Of(a);
        Assert.NotEqual(0, _up.WPUFDIsSet(a, set));
        Assert.Equal(0, _up.WPUFDIsSet(b, set));
        Assert.Equal(0, _up.WPUFDIsSet(a, new fd_set()));
    }

    [Fact]
    public void WPUGetProviderPath_InstalledAndUnknown()
    {
        Assert.Equal(0, _up.WPUGetProviderPath(Provider.Id, out string path, out int errno));
        Assert.Equal(0, errno);
        Assert.Equal(TestCatalog.PathOf(typeof(TestProvider)), path);
        Assert.Same(typeof(TestProvider), ProviderModule.ResolveEntryType(path, out _));

        Assert.Equal(SOCKET_ERROR, _up.WPUGetProviderPath(Guid.NewGuid(), out _, out errno));
        Assert.Equal(WSAEINVAL, errno);
    }

    [Fact]
    public void WPUQueryBlockingCallback_ReturnsACallback()
    {
        Assert.Equal(0, _up.WPUQueryBlockingCallback(EntryId, out var callback, out nuint context, out int errno));
        Assert.Equal(0, errno);
        Assert.NotNull(callback);
        // TRUE: the blocking operation was not cancelled, continue.
        Assert.True(callback!(context));
    }

    [Fact]
    public void WPUQueryBlockingCallback_RunsQueuedApcs()
    {
        var tid = new WSATHREADID();
        _up.WPUOpenCurrentThread(tid, out _);
        int runs = 0;
        Assert.Equal(0, _up.WPUQueueApc(tid, _ => runs++, null, out _));
        Assert.Equal(0, _up.WPUQueryBlockingCallback(EntryId, out var callback, out nuint context, out _));
        Assert.True(callback!(context)); // a provider's blocking loop calls this: the thread is in an alertable wait
        Assert.Equal(1, runs);
    }

    [Fact]
    public void WPUOpenCurrentThread_DistinctPerThread()
    {
        var mine = new WSATHREADID();
        Assert.Equal(0, _up.WPUOpenCurrentThread(mine, out _));
        var again = new WSATHREADID();
        Assert.Equal(0, _up.WPUOpenCurrentThread(again, out _));
        Assert.Equal(mine.ThreadHandle, again.ThreadHandle);
        var theirs = new WSATHREADID();
        var t = Run(() => _up.WPUOpenCurrentThread(theirs, out _));
        Assert.True(t.Join(10000));
        Assert.NotEqual(0, theirs.ThreadHandle);
        Assert.NotEqual(mine.ThreadHandle, theirs.ThreadHandle);
        Assert.Equal(SOCKET_ERROR, _up.WPUOpenCurrentThread(null!, out int errno));
        Assert.Equal(WSAEFAULT, errno);
    }
}
