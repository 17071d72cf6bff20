using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>WSACreateEvent and WSAWaitForMultipleEvents (SPEC §5).</summary>
public class WaitTests : EventTest
{
    [Fact]
    public void WaitConstants_HaveWindowsValues()
    {
        Assert.Equal(0u, WSA_WAIT_EVENT_0);
        Assert.Equal(258u, WSA_WAIT_TIMEOUT);
        Assert.Equal(0xC0u, WSA_WAIT_IO_COMPLETION);
        Assert.Equal(0xFFFFFFFFu, WSA_WAIT_FAILED);
        Assert.Equal(6, WSA_INVALID_HANDLE);
        Assert.Equal(87, WSA_INVALID_PARAMETER);
        Assert.Equal(64, WSA_MAXIMUM_WAIT_EVENTS);
    }

    [Fact]
    public void WSACreateEvent_InitiallyNonsignalled()
    {
        var ev = NewEvent();
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
    }

    [Fact]
    public void WSACreateEvent_ManualReset_StaysSignalledUntilWSAResetEvent()
    {
        var ev = NewEvent();
        Assert.True(WSASetEvent(ev));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 0, false)); // a wait does not reset it
        Assert.True(WSAResetEvent(ev));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
    }

    [Fact]
    public void WSAWaitForMultipleEvents_ReturnsLowestSignalledIndex()
    {
        var evs = new[] { NewEvent(), NewEvent(), NewEvent(), NewEvent() };
        Assert.True(WSASetEvent(evs[3]));
        Assert.True(WSASetEvent(evs[1]));
        Assert.True(WSASetEvent(evs[2]));
        Assert.Equal(WSA_WAIT_EVENT_0 + 1, WSAWaitForMultipleEvents(4, evs, false, 0, false));
        Assert.True(WSAResetEvent(evs[1]));
        Assert.Equal(WSA_WAIT_EVENT_0 + 2, WSAWaitForMultipleEvents(4, evs, false, WaitMs, false));
    }

    [Fact]
    public void WSAWaitForMultipleEvents_OnlyTheFirstCEventsCount()
    {
        var evs = new[] { NewEvent(), NewEvent() };
        Assert.True(WSASetEvent(evs[1]));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, evs, false, 0, false));
    }

    [Fact]
    public void WSAWaitForMultipleEvents_WaitAll_NeedsEveryEvent()
    {
        var evs = new[] { NewEvent(), NewEvent(), NewEvent() };
        Assert.True(WSASetEvent(evs[0]));
        Assert.True(WSASetEvent(evs[2]));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(3, evs, true, 0, false));

        var setter = Run(() => WSASetEvent(evs[1]));
        uint rc = WSAWaitForMultipleEvents(3, evs, true, WaitMs, false);
        setter.Join();
        Assert.True(rc < WSA_WAIT_EVENT_0 + 3, $"wait-all returned {rc}");
    }

    [Fact]
    public void WSAWaitForMultipleEvents_WakesWhenAnotherThreadSets()
    {
        var evs = new[] { NewEvent(), NewEvent() };
        var setter = Run(() => WSASetEvent(evs[1]));
        uint rc = WSAWaitForMultipleEvents(2, evs, false, WaitMs, false);
        setter.Join();
        Assert.Equal(WSA_WAIT_EVENT_0 + 1, rc);
    }

    [Fact]
    public void WSAWaitForMultipleEvents_Timeout_Returns258()
    {
        var ev = NewEvent();
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 20, false));
        Assert.Equal(258u, WSAWaitForMultipleEvents(1, [ev], true, 20, false));
    }

    [Fact]
    public void WSAWaitForMultipleEvents_ZeroEvents_FailsWithWSA_INVALID_PARAMETER()
    {
        var ev = NewEvent();
        Assert.Equal(WSA_WAIT_FAILED, WSAWaitForMultipleEvents(0, [ev], false, 0, false));
        Assert.Equal(WSA_INVALID_PARAMETER, WSAGetLastError());
    }

    [Fact]
    public void WSAWaitForMultipleEvents_MoreThan64Events_FailsWithWSA_INVALID_PARAMETER()
    {
        var evs = new WSAEVENT[65];
        for (int i = 0; i < evs.Length; i++) evs[i] = NewEvent();
        Assert.True(WSASetEvent(evs[0]));
        Assert.Equal(WSA_WAIT_FAILED, WSAWaitForMultipleEvents(65, evs, false, 0, false));
        Assert.Equal(WSA_INVALID_PARAMETER, WSAGetLastError());
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(64, evs, false, 0, false)); // 64 is allowed
    }

    [Fact]
    public void WSAWaitForMultipleEvents_ClosedEvent_FailsWithWSA_INVALID_HANDLE()
    {
        var open = NewEvent();
        var closed = WSACreateEvent();
        Assert.True(WSACloseEvent(closed));
        Assert.True(WSASetEvent(open));
        Assert.Equal(WSA_WAIT_FAILED, WSAWaitForMultipleEvents(2, [open, closed], false, 0, false));
        Assert.Equal(WSA_INVALID_HANDLE, WSAGetLastError());
        Assert.Equal(WSA_WAIT_FAILED, WSAWaitForMultipleEvents(1, [WSA_INVALID_EVENT], false, 0, false));
        Assert.Equal(WSA_INVALID_HANDLE, WSAGetLastError());
    }

    [Fact]
    public void WSACloseEvent_Twice_FailsWithWSA_INVALID_HANDLE()
    {
        var ev = WSACreateEvent();
        Assert.True(WSACloseEvent(ev));
        Assert.False(WSACloseEvent(ev));
        Assert.Equal(WSA_INVALID_HANDLE, WSAGetLastError());
        Assert.False(WSASetEvent(ev));
        Assert.Equal(WSA_INVALID_HANDLE, WSAGetLastError());
        Assert.False(WSAResetEvent(ev));
        Assert.Equal(WSA_INVALID_HANDLE, WSAGetLastError());
    }
}
