using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Winsock2;

/// <summary>
/// What stands for a C function pointer in WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): the provider's WSPIoctl
/// writes a pointer value (8 bytes, little-endian) into the output buffer, and whoever holds the value gets the
/// delegate back with <see cref="TryGet"/>. A layered provider reads the pointer its next provider returned, wraps the
/// function, and returns the wrapper's pointer instead — so extension functions can be intercepted as on Windows.
/// Registering the same delegate again returns the same value; a value is never given to another function. The table
/// holds the functions weakly, as a DLL's code stays mapped only while the DLL is loaded: a provider keeps its own
/// functions alive (a retired provider's pointers then resolve to nothing), so the table holds no more than the live
/// functions. Values no provider returned resolve to nothing.
/// </summary>
public static class ExtensionFunctionPointer
{
    /// <summary>The size of the pointer in the output buffer (a 64-bit pointer).</summary>
    public const int Size = 8;

    private static readonly Lock Gate = new();
    private static readonly ConditionalWeakTable<Delegate, StrongBox<long>> Values = new();
    private static readonly Dictionary<long, WeakReference<Delegate>> Functions = [];
    private const long Base = 0x7FFE_0000_1000;
    private static long s_next;

    /// <summary>The pointer value standing for <paramref name="function"/> (the same value for the same delegate).</summary>
    public static nint Of(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        lock (Gate)
        {
            if (Values.TryGetValue(function, out var known)) return (nint)known.Value;
            if (++s_next % 64 == 0)
                foreach (var dead in Functions.Where(f => !f.Value.TryGetTarget(out _)).Select(f => f.Key).ToArray()) Functions.Remove(dead);
            long value = Base + s_next * 16;
            Values.Add(function, new StrongBox<long>(value));
            Functions.Add(value, new WeakReference<Delegate>(function));
            return (nint)value;
        }
    }

    /// <summary>The function a pointer value stands for, as <typeparamref name="T"/>; false for any other value or type.</summary>
    public static bool TryGet<T>(nint pointer, out T? function) where T : Delegate
    {
        function = null;
        lock (Gate)
        {
            if (!Functions.TryGetValue(pointer, out var weak) || !weak.TryGetTarget(out var target)) return false;
            function = target as T;
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
