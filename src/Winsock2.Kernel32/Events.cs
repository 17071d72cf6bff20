namespace Winsock2.Kernel;

/// <summary>The process's event objects, behind WSAEVENT handles (WSACreateEvent, WPUCreateEvent).</summary>
internal static class Events
{
    private static readonly HandleTable<EventObject> Table = new();

    public static WSAEVENT Create() => new((nint)Table.Add(new EventObject()));

    public static bool TryGet(WSAEVENT e, out EventObject obj)
    {
        obj = null!;
        return e.IsValid && Table.TryGet((nuint)e.Value, out obj);
    }

    public static bool Close(WSAEVENT e) => e.IsValid && Table.TryRemove((nuint)e.Value, out _);

    public static bool Set(WSAEVENT e)
    {
        if (!TryGet(e, out var obj)) return false;
        obj.Set();
        return true;
    }

    public static bool Reset(WSAEVENT e)
    {
        if (!TryGet(e, out var obj)) return false;
        obj.Reset();
        return true;
    }
}
