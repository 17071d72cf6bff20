namespace Winsock2;

/// <summary>The message-queue windows WSAAsyncSelect posts to (user32's part, without a GUI).</summary>
public static partial class Ws2_32
{
    /// <summary>Creates a message window.</summary>
    public static HWND CreateMessageWindow() => new();

    /// <summary>Destroys a window: later posts fail, waiting GetMessage calls return false.</summary>
    public static bool DestroyWindow(HWND hWnd)
    {
        if (hWnd is null || !hWnd.IsWindow) return false;
        hWnd.Destroy();
        return true;
    }

    /// <summary>Posts a message.</summary>
    public static bool PostMessage(HWND hWnd, uint Msg, nuint wParam, nint lParam) => hWnd is not null && hWnd.Post(Msg, wParam, lParam);

    /// <summary>Takes the next message, waiting up to <paramref name="timeoutMs"/> (-1 = forever). False on timeout or a destroyed window.</summary>
    public static bool GetMessage(out MSG lpMsg, HWND hWnd, int timeoutMs = -1)
    {
        lpMsg = default;
        return hWnd is not null && hWnd.TryGet(out lpMsg, remove: true, timeoutMs);
    }

    /// <summary>Looks at (PM_NOREMOVE) or takes (PM_REMOVE) the next message without waiting.</summary>
    public static bool PeekMessage(out MSG lpMsg, HWND hWnd, bool remove)
    {
        lpMsg = default;
        return hWnd is not null && hWnd.TryGet(out lpMsg, remove, 0);
    }
}
