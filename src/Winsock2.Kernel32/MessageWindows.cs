namespace Winsock2.Kernel;

/// <summary>The process's message windows behind HWND handles: create, post, get, peek, destroy.</summary>
internal static class MessageWindows
{
    private static readonly HandleTable<MessageWindow> Table = new();

    public static HWND Create() => new((nint)Table.Add(new MessageWindow()));

    private static MessageWindow? Find(HWND? hWnd) =>
        hWnd is not null && hWnd.Value > 0 && Table.TryGet((nuint)hWnd.Value, out var w) ? w : null;

    public static bool IsWindow(HWND? hWnd) => Find(hWnd)?.IsWindow == true;

    public static bool Post(HWND? hWnd, uint msg, nuint wParam, nint lParam) =>
        Find(hWnd) is { } w && w.Post(hWnd!, msg, wParam, lParam);

    public static bool TryGet(HWND? hWnd, out MSG msg, bool remove, int timeoutMs)
    {
        msg = default;
        return Find(hWnd) is { } w && w.TryGet(out msg, remove, timeoutMs);
    }

    /// <summary>Destroys the window: later posts fail, waiting GetMessage calls return false.</summary>
    public static bool Destroy(HWND? hWnd)
    {
        if (Find(hWnd) is not { IsWindow: true } w) return false;
        w.Destroy();
        Table.TryRemove((nuint)hWnd!.Value, out _);
        return true;
    }
}
