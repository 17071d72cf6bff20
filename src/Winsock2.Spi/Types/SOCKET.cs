namespace Winsock2;

/// <summary>A Winsock socket handle (UINT_PTR in C). <see cref="Ws2Spi.INVALID_SOCKET"/> is ~0.</summary>
public readonly record struct SOCKET(nuint Value)
{
    /// <summary>The invalid socket handle, ~0.</summary>
    public static readonly SOCKET Invalid = new(nuint.MaxValue);

    /// <summary>True for every handle except INVALID_SOCKET.</summary>
    public bool IsValid => Value != nuint.MaxValue;

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"0x{Value:X}" : "INVALID_SOCKET";
}
