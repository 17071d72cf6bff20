using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>A provider socket as WSPEventSelect, WSPAsyncSelect and WSPEnumNetworkEvents see it.</summary>
internal interface IEventSelectable
{
    /// <summary>The lock that guards the socket's state and its <see cref="Events"/>.</summary>
    Lock Gate { get; }
    /// <summary>True once closesocket ran (read under <see cref="Gate"/>).</summary>
    bool IsClosed { get; }
    /// <summary>The socket's event selection and record.</summary>
    NetworkEventRecord Events { get; }
    /// <summary>Winsock's blocking mode; a selection makes the socket nonblocking.</summary>
    bool NonBlocking { get; set; }
    /// <summary>The selection was (re)made (under <see cref="Gate"/>): record what is already true (SPEC §5).</summary>
    void OnSelectionChanged();
}

/// <summary>
/// WSPEventSelect / WSPAsyncSelect / WSPEnumNetworkEvents as every provider here answers them: validate the mask
/// and the event object or window, replace the selection (the socket becomes nonblocking), and hand out the record.
/// </summary>
internal static class EventSelection
{
    /// <summary>WSPEventSelect (<paramref name="byWindow"/> false) or WSPAsyncSelect (true): 0 or the error.</summary>
    public static int Select(IEventSelectable socket, WSAEVENT ev, HWND? window, uint msg, int mask, bool byWindow)
    {
        if ((mask & ~Ws2Spi.FD_ALL_EVENTS) != 0) return Ws2Spi.WSAEINVAL;
        lock (socket.Gate)
        {
            if (socket.IsClosed) return Ws2Spi.WSAENOTSOCK;
            if (byWindow)
            {
                if (mask != 0 && !MessageWindows.IsWindow(window)) return Ws2Spi.WSAEINVAL;
                socket.Events.SelectWindow(window, msg, mask);
            }
            else
            {
                if (mask != 0 && !Kernel.Events.TryGet(ev, out _)) return Ws2Spi.WSAEINVAL;
                socket.Events.SelectEvent(ev, mask);
            }
            socket.NonBlocking = true;
            socket.OnSelectionChanged();
            return 0;
        }
    }

    /// <summary>WSPEnumNetworkEvents: resets <paramref name="ev"/> (if given) through the upcall table, then copies and clears the record.</summary>
    public static int Enumerate(IEventSelectable socket, WSAEVENT ev, WSANETWORKEVENTS into)
    {
        lock (socket.Gate)
        {
            if (socket.IsClosed) return Ws2Spi.WSAENOTSOCK;
            if (ev.IsValid && !socket.Events.ResetEvent(ev)) return Ws2Spi.WSAEINVAL;
            socket.Events.TakeRecord(into);
            return 0;
        }
    }
}
