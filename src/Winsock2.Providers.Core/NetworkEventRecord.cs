namespace Winsock2.Providers.Core;

/// <summary>
/// A socket's WSAEventSelect / WSAAsyncSelect state (SPEC §5): the selection, the record of events that
/// occurred with their error codes, and the re-enabling state. The owner holds its lock around every call.
/// </summary>
internal sealed class NetworkEventRecord(WSPUPCALLTABLE upcalls)
{
    private readonly int[] _errors = new int[Ws2Spi.FD_MAX_EVENTS];
    private int _recorded;
    private int _enabled = Ws2Spi.FD_ALL_EVENTS;
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

    /// <summary>WSAEventSelect: replaces any earlier selection and clears the record.</summary>
    public void SelectEvent(WSAEVENT ev, int mask)
    {
        _window = null;
        _event = ev;
        Reset(mask);
    }

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
        Array.Clear(_errors);
    }

    /// <summary>Records (or posts) <paramref name="fdEvent"/> if it is selected and enabled, then disables it until re-enabled.</summary>
    public bool Signal(int fdEvent, int error)
    {
        if ((Mask & fdEvent) == 0 || (_enabled & fdEvent) == 0) return false;
        _enabled &= ~fdEvent;
        if (_window is not null)
        {
            upcalls.WPUPostMessage(_window, _message, Socket.Value, (nint)((error << 16) | fdEvent));
            return true;
        }
        _recorded |= fdEvent;
        _errors[System.Numerics.BitOperations.TrailingZeroCount(fdEvent)] = error;
        upcalls.WPUSetEvent(_event, out _);
        return true;
    }

    /// <summary>A re-enabling function was called: the events may be recorded again.</summary>
    public void Reenable(int fdEvents) => _enabled |= fdEvents;

    /// <summary>True if the event is enabled (not yet recorded since its last re-enabling).</summary>
    public bool IsEnabled(int fdEvent) => (Mask & fdEvent) != 0 && (_enabled & fdEvent) != 0;

    /// <summary>Resets an event object through the upcall table (WSAEnumNetworkEvents' hEventObject): false if it is not one.</summary>
    public bool ResetEvent(WSAEVENT ev) => upcalls.WPUResetEvent(ev, out _);

    /// <summary>WSAEnumNetworkEvents: copies and clears the record (only entries for set bits are written).</summary>
    public void TakeRecord(WSANETWORKEVENTS into)
    {
        into.lNetworkEvents = _recorded;
        for (int bit = 0; bit < Ws2Spi.FD_MAX_EVENTS; bit++)
            if ((_recorded & (1 << bit)) != 0) into.iErrorCode[bit] = _errors[bit];
        _recorded = 0;
    }
}
