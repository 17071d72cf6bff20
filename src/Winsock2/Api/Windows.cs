using Winsock2.Kernel;

namespace Winsock2;

/// <summary>The message-queue windows WSAAsyncSelect posts to (user32's part, without a GUI).</summary>
public static partial class Ws2_32
{
    /// <summary>Creates a message window.</summary>
    public static HWND CreateMessageWindow() => MessageWindows.Create();

    /// <summary>True while the window exists (until DestroyWindow).</summary>
    public static bool IsWindow(HWND? hWnd) => MessageWindows.IsWindow(hWnd);

    /// <summary>Destroys a window: later posts fail, waiting GetMessage calls return false.</summary>
    public static bool DestroyWindow(HWND hWnd) => MessageWindows.Destroy(hWnd);

    /// <summary>Posts a message.</summary>
    public static bool PostMessage(HWND hWnd, uint Msg, nuint wParam, nint lParam) => MessageWindows.Post(hWnd, Msg, wParam, lParam);

    /// <summary>Takes the next message, waiting up to <paramref name="timeoutMs"/> (-1 = forever). False on timeout or a destroyed window.</summary>
    public static bool GetMessage(out MSG lpMsg, HWND hWnd, int timeoutMs = -1) =>
        MessageWindows.TryGet(hWnd, out lpMsg, remove: true, timeoutMs);

    /// <summary>Looks at (PM_NOREMOVE) or takes (PM_REMOVE) the next message without waiting.</summary>
    public static bool PeekMessage(out MSG lpMsg, HWND hWnd, bool remove) => MessageWindows.TryGet(hWnd, out lpMsg, remove, 0);
}
