namespace Winsock2;

/// <summary>A window message as WSAAsyncSelect posts it: wParam = socket, lParam = (error &lt;&lt; 16) | event.</summary>
public readonly record struct MSG(HWND hwnd, uint message, nuint wParam, nint lParam);
