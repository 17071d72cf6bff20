namespace Winsock2;

/// <summary>
/// A window handle for WSAAsyncSelect (windef.h HWND). The window behind it — a message queue with PostMessage /
/// GetMessage / PeekMessage semantics, so the message-driven model works without a GUI — belongs to the kernel
/// services; the API layer's CreateMessageWindow makes one. Null is C's NULL window.
/// </summary>
public sealed class HWND
{
    /// <summary>A handle with the given value (the kernel services' handle table gives the values).</summary>
    public HWND(nint value) => Value = value;

    /// <summary>The handle value.</summary>
    public nint Value { get; }

    /// <inheritdoc />
    public override string ToString() => $"HWND 0x{Value:x}";
}
