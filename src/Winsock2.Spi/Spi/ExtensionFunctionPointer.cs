using System.Buffers.Binary;

namespace Winsock2;

/// <summary>
/// What stands for a C function pointer in WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): the provider's WSPIoctl
/// writes a pointer value (8 bytes, little-endian) into the output buffer, and whoever holds the value gets the
/// delegate back with <see cref="TryGet"/>. A layered provider reads the pointer its next provider returned, wraps the
/// function, and returns the wrapper's pointer instead — so extension functions can be intercepted as on Windows.
/// A provider registers each of its functions once (the pointer is kept for the process, as a DLL's code stays
/// mapped); registering the same delegate again returns the same value. Values no provider returned resolve to nothing.
/// </summary>
public static class ExtensionFunctionPointer
{
    /// <summary>The size of the pointer in the output buffer (a 64-bit pointer).</summary>
    public const int Size = 8;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<Delegate, nint> Values = new(ReferenceEqualityComparer.Instance);
    private static readonly List<Delegate> Functions = [];
    private const long Base = 0x7FFE_0000_1000;

    /// <summary>The pointer value standing for <paramref name="function"/> (the same value for the same delegate).</summary>
    public static nint Of(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        lock (Gate)
        {
            if (Values.TryGetValue(function, out var value)) return value;
            value = (nint)(Base + Functions.Count * 16L);
            Functions.Add(function);
            Values.Add(function, value);
            return value;
        }
    }

    /// <summary>The function a pointer value stands for, as <typeparamref name="T"/>; false for any other value or type.</summary>
    public static bool TryGet<T>(nint pointer, out T? function) where T : Delegate
    {
        function = null;
        long index = ((long)pointer - Base) / 16;
        if ((long)pointer < Base || ((long)pointer - Base) % 16 != 0) return false;
        lock (Gate)
        {
            if (index >= Functions.Count) return false;
            function = Functions[(int)index] as T;
            return function is not null;
        }
    }

    /// <summary>Writes <paramref name="pointer"/> at the start of <paramref name="buffer"/> (which has <see cref="Size"/> bytes).</summary>
    public static void Write(byte[] buffer, nint pointer) => BinaryPrimitives.WriteInt64LittleEndian(buffer, pointer);

    /// <summary>The pointer value at the start of <paramref name="buffer"/>.</summary>
    public static nint Read(byte[] buffer) => (nint)BinaryPrimitives.ReadInt64LittleEndian(buffer);

    /// <summary>The extension function's GUID in an SIO_GET_EXTENSION_FUNCTION_POINTER input buffer (16 bytes), or null when it holds none.</summary>
    public static Guid? GuidIn(byte[]? input, uint inLen) =>
        input is null || inLen < 16 || input.Length < 16 ? null : new Guid(input.AsSpan(0, 16));
}
