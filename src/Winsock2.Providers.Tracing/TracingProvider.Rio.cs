using System.Buffers.Binary;
using System.Diagnostics;

using static Winsock2.Ws2Spi;
using static Winsock2.Providers.Tracing.TraceFormat;

namespace Winsock2.Providers.Tracing;

/// <summary>
/// The Registered I/O table through the layer. WSPIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER) goes to the next
/// provider; of its table the layer wraps RIOCreateRequestQueue — the one function that takes a SOCKET, which the
/// wrapper turns into the next provider's handle — and traces it. The other functions work on queues and buffers the
/// next provider made, and pass through unchanged (a request queue's completions, and the events a completion queue
/// sets through the next provider's upcalls, reach the application as they are).
/// </summary>
public sealed partial class TracingProvider
{
    /// <summary>Where RIOCreateRequestQueue's pointer sits in the table's bytes (cbSize, then the 7th pointer).</summary>
    private const int CreateRequestQueueOffset = 8 + 6 * ExtensionFunctionPointer.Size;

    /// <summary>Replaces RIOCreateRequestQueue's pointer in the next provider's table by the layer's wrapper's (0, or the error).</summary>
    private int WrapRioTable(byte[] output, uint returned)
    {
        if (returned < RIO_EXTENSION_FUNCTION_TABLE.Size || output.Length < RIO_EXTENSION_FUNCTION_TABLE.Size) return WSAEFAULT;
        var slot = output.AsSpan(CreateRequestQueueOffset, ExtensionFunctionPointer.Size);
        if (!ExtensionFunctionPointer.TryGet((nint)BinaryPrimitives.ReadInt64LittleEndian(slot), out LPFN_RIOCREATEREQUESTQUEUE? lower))
            return WSAEINVAL;
        Delegate? wrapper;
        lock (_wrappers)
        {
            if (!_wrappers.TryGetValue(lower!, out wrapper))
            {
                var f = lower!;
                wrapper = new LPFN_RIOCREATEREQUESTQUEUE((s, maxRecv, recvBuffers, maxSend, sendBuffers, recvCq, sendCq, context) =>
                {
                    long t0 = Stopwatch.GetTimestamp();
                    var rq = Lowers(s, s, out var l, out _) ? f(l, maxRecv, recvBuffers, maxSend, sendBuffers, recvCq, sendCq, context) : null;
                    Done(t0, $"RIOCreateRequestQueue(s={H(s)}, maxrecv={maxRecv}, maxsend={maxSend})", rq is not null);
                    return rq;
                });
                _wrappers.Add(lower!, wrapper);
            }
        }
        BinaryPrimitives.WriteInt64LittleEndian(slot, ExtensionFunctionPointer.Of(wrapper));
        return 0;
    }
}
