namespace Winsock2.Providers.Core;

/// <summary>
/// A resolved slice of a registered buffer: <see cref="Length"/> bytes of <see cref="Array"/> at <see cref="Offset"/>
/// (<see cref="Array"/> null: the request gave no such slice, C's NULL PRIO_BUF).
/// </summary>
public readonly struct RioSlice
{
    /// <summary>A slice of <paramref name="array"/>.</summary>
    public RioSlice(byte[] array, int offset, int length)
    {
        Array = array;
        Offset = offset;
        Length = length;
    }

    /// <summary>The registered array, or null when the slice was not given.</summary>
    public byte[]? Array { get; }

    /// <summary>Where the slice starts in <see cref="Array"/>.</summary>
    public int Offset { get; }

    /// <summary>The slice's length in bytes.</summary>
    public int Length { get; }

    /// <summary>The slice was given.</summary>
    public bool IsPresent => Array is not null;

    /// <summary>The slice's bytes (empty when it was not given).</summary>
    public Span<byte> Span => Array is null ? default : Array.AsSpan(Offset, Length);
}
