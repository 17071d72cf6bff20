namespace Winsock2;

/// <summary>A Winsock event object handle (HANDLE in C). The default value is WSA_INVALID_EVENT.</summary>
public readonly record struct WSAEVENT(nint Value)
{
    /// <summary>True unless this is WSA_INVALID_EVENT (a null handle).</summary>
    public bool IsValid => Value != 0;

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"event 0x{Value:X}" : "WSA_INVALID_EVENT";
}
