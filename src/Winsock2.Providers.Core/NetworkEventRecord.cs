namespace Winsock2.Providers.Core;

/// <summary>
/// A socket's WSAEventSelect / WSAAsyncSelect state (SPEC §5): the selection, the record of events that
/// occurred with their error codes, and the re-enabling state. The owner holds its lock around every call.
/// </summary>
/// <remarks>
/// Re-selection follows what Windows does (Wine's test_events records it): WSAAsyncSelect re-posts every
/// condition that holds; WSAEventSelect does not record again an event the application has already taken with
/// WSAEnumNetworkEvents and not re-enabled since (<see cref="_seen"/>) — such an event is recorded again only when
/// it newly occurs (a new connection, new data, new urgent data: an edge). An event recorded but never taken is
/// recorded again by the re-selection if its condition still holds.
/// </remarks>
internal sealed class NetworkEventRecord(WSPUPCALLTABLE upcalls)
{
    private readonly int[] _errors = new int[Ws2Spi.FD_MAX_EVENTS];
    private int _recorded;
    private int _enabled = Ws2Spi.FD_ALL_EVENTS;
    /// <summary>Events posted, or recorded and taken by WSAEnumNetworkEvents, and not re-enabled since.</summary>
    private int _seen;
    /// <summary>Seen events an event-mode re-selection armed again: the next edge records them.</summary>
    private int _rearmed;
    private WSAEVENT _event;
    private HWND? _window;
    private uint _message;

    /// <summary>The selected events (0 = no selection).</summary>
    public int Mask { get; private set; }

    public bool Active => Mask != 0;

    /// <summary>The socket handle posted as wParam.</summary>
    public SOCKET Socket { get; set; }

    public WSAEVENT Event => _event;
    public HWND? Window => _window;
    public uint Message => _message;

    /// <summary>
    /// WSAEventSelect: replaces any earlier selection and clears the record. An event the application has
    /// seen and not re-enabled stays disabled for conditions that still hold, but its next edge records it.
    /// </summary>
    public void SelectEvent(WSAEVENT ev, int mask)
    {
        bool wasEvent = _window is null;
        _window = null;
        _event = ev;
        int seen = wasEvent ? _seen : 0;
        Reset(mask);
        _enabled = Ws2Spi.FD_ALL_EVENTS & ~seen;
        _seen = seen;
        _rearmed = seen;
    }

    /// <summary>True when the selection is by event object (WSAEventSelect), not by window.</summary>
    public bool ByEvent => Active && _window is null;

    /// <summary>WSAAsyncSelect: replaces any earlier selection and clears the record.</summary>
    public void SelectWindow(HWND? window, uint message, int mask)
    {
        _event = default;
        _window = window;
        _message = message;
        Reset(mask);
    }

    /// <summary>The same selection on another socket (an accepted or joined socket inherits its parent's).</summary>
    public void CopyFrom(NetworkEventRecord parent)
    {
        if (parent._window is not null) SelectWindow(parent._window, parent._message, parent.Mask);
        else SelectEvent(parent._event, parent.Mask);
    }

    private void Reset(int mask)
    {
        Mask = mask;
        _recorded = 0;
        _enabled = Ws2Spi.FD_ALL_EVENTS;
        _seen = 0;
        _rearmed = 0;
        Array.Clear(_errors);
    }

    /// <summary>
    /// Records (or posts) <paramref name="fdEvent"/> if it is selected and enabled — or, for an
    /// <paramref name="edge"/> (the condition newly occurred), re-armed by a re-selection — then disables it until
    /// re-enabled.
    /// </summary>
    public bool Signal(int fdEvent, int error, bool edge = false)
    {
        if ((Mask & fdEvent) == 0) return false;
        if ((_enabled & fdEvent) == 0 && !(edge && (_rearmed & fdEvent) != 0)) return false;
        _enabled &= ~fdEvent;
        _rearmed &= ~fdEvent;
        if (_window is not null)
        {
            _seen |= fdEvent;
            upcalls.WPUPostMessage(_window, _message, Socket.Value, (nint)((error << 16) | fdEvent));
            return true;
        }
        _seen &= ~fdEvent;
        _recorded |= fdEvent;
        _errors[System.Numerics.BitOperations.TrailingZeroCount(fdEvent)] = error;
        upcalls.WPUSetEvent(_event, out _);
        return true;
    }

    /// <summary>A re-enabling function was called: the events may be recorded again.</summary>
    public void Reenable(int fdEvents)
    {
        _enabled |= fdEvents;
        _seen &= ~fdEvents;
        _rearmed &= ~fdEvents;
    }

    /// <summary>True if the event is enabled (not yet recorded since its last re-enabling).</summary>
    public bool IsEnabled(int fdEvent) => (Mask & fdEvent) != 0 && (_enabled & fdEvent) != 0;

    /// <summary>Resets an event object through the upcall table (WSAEnumNetworkEvents' hEventObject): false if it is not one.</summary>
    public bool ResetEvent(WSAEVENT ev) => upcalls.WPUResetEvent(ev, out _);

    /// <summary>WSAEnumNetworkEvents: copies and clears the record (only entries for set bits are written).</summary>
    public void TakeRecord(WSANETWORKEVENTS into)
    {
        into.lNetworkEvents = _recorded;
        _seen |= _recorded;
        for (int bit = 0; bit < Ws2Spi.FD_MAX_EVENTS; bit++)
            if ((_recorded & (1 << bit)) != 0) into.iErrorCode[bit] = _errors[bit];
        _recorded = 0;
    }
}
