using System.Buffers.Binary;
using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// The 13 Registered I/O functions of one provider type, as WSPIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER,
/// WSAID_MULTIPLE_RIO) hands them out (<see cref="Answer"/>). Each is one delegate for the process, so its pointer
/// stays valid across WSACleanup and WSAStartup as a DLL's function does. Like every extension function they are called
/// directly (no ws2_32 prolog): each is guarded (no exception escapes) and reports errors through the thread's last
/// error, except RIONotify, which returns its code, and RIODequeueCompletion, which returns RIO_CORRUPT_CQ.
/// </summary>
public sealed partial class RioFunctions
{
    private volatile WSPUPCALLTABLE? _upcalls;
    private volatile Func<SOCKET, object?>? _find;
    private readonly Delegate[] _table;

    /// <summary>The functions; <see cref="Bind"/> tells them how to find the provider's sockets.</summary>
    public RioFunctions()
    {
        _table =
        [
            new LPFN_RIORECEIVE(Receive), new LPFN_RIORECEIVEEX(ReceiveEx), new LPFN_RIOSEND(Send), new LPFN_RIOSENDEX(SendEx),
            new LPFN_RIOCLOSECOMPLETIONQUEUE(CloseCompletionQueue), new LPFN_RIOCREATECOMPLETIONQUEUE(CreateCompletionQueue),
            new LPFN_RIOCREATEREQUESTQUEUE(CreateRequestQueue), new LPFN_RIODEQUEUECOMPLETION(DequeueCompletion),
            new LPFN_RIODEREGISTERBUFFER(DeregisterBuffer), new LPFN_RIONOTIFY(Notify), new LPFN_RIOREGISTERBUFFER(RegisterBuffer),
            new LPFN_RIORESIZECOMPLETIONQUEUE(ResizeCompletionQueue), new LPFN_RIORESIZEREQUESTQUEUE(ResizeRequestQueue),
        ];
    }

    /// <summary>
    /// The provider's upcall table (events are set through it) and its handle lookup: the provider socket behind a
    /// SOCKET, or null when it is not one of the provider's.
    /// </summary>
    public void Bind(WSPUPCALLTABLE upcalls, Func<SOCKET, object?> find)
    {
        _upcalls = upcalls;
        _find = find;
    }

    /// <summary>
    /// WSPIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER): WSAEFAULT when the input holds no 16-byte GUID or the output
    /// is shorter than the table (RIO_EXTENSION_FUNCTION_TABLE.Size); WSAEINVAL for a GUID other than WSAID_MULTIPLE_RIO;
    /// else cbSize and the 13 function pointers, in the table's field order, with the table's size returned.
    /// </summary>
    public int Answer(byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        if (ExtensionFunctionPointer.GuidIn(input, inLen) is not { } id) return Ws2Spi.WSAEFAULT;
        if (id != Ws2Spi.WSAID_MULTIPLE_RIO) return Ws2Spi.WSAEINVAL;
        const int size = RIO_EXTENSION_FUNCTION_TABLE.Size;
        if (output is null || outLen < size || output.Length < size) return Ws2Spi.WSAEFAULT;
        BinaryPrimitives.WriteUInt64LittleEndian(output, size);
        for (int i = 0; i < _table.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(output.AsSpan(8 + i * ExtensionFunctionPointer.Size), ExtensionFunctionPointer.Of(_table[i]));
        returned = size;
        return 0;
    }

    // ---- buffers ----

    private static RIO_BUFFERID? RegisterBuffer(byte[] DataBuffer, uint DataLength)
    {
        try
        {
            if (DataBuffer is null || DataLength > (uint)DataBuffer.Length) return Fail<RIO_BUFFERID>(Ws2Spi.WSAEFAULT);
            if (DataLength == 0) return Fail<RIO_BUFFERID>(Ws2Spi.WSAEINVAL);
            return new RioBuffer(DataBuffer, (int)DataLength);
        }
        catch (Exception e)
        {
            return Fail<RIO_BUFFERID>(ExtensionFunctions.Failed(e));
        }
    }

    private static void DeregisterBuffer(RIO_BUFFERID BufferId)
    {
        try
        {
            // An id that is not a registration (or no longer one) is ignored, as documented; later requests naming a
            // deregistered id are refused (WSAEFAULT).
            if (BufferId is RioBuffer b) b.Deregister();
        }
        catch (Exception e)
        {
            ExtensionFunctions.Failed(e);
        }
    }

    // ---- completion queues ----

    private RIO_CQ? CreateCompletionQueue(uint QueueSize, RIO_NOTIFICATION_COMPLETION? NotificationCompletion)
    {
        try
        {
            if (QueueSize == 0 || QueueSize > Ws2Spi.RIO_MAX_CQ_SIZE) return Fail<RIO_CQ>(Ws2Spi.WSAEINVAL);
            if (_upcalls is not { } upcalls) return Fail<RIO_CQ>(Ws2Spi.WSANOTINITIALISED);
            int err = RioNotifier.Create(upcalls, NotificationCompletion, out var notifier);
            if (err != 0) return Fail<RIO_CQ>(err);
            try { return new RioCompletionQueue((int)QueueSize, notifier); }
            catch (OutOfMemoryException) { return Fail<RIO_CQ>(Ws2Spi.WSAENOBUFS); }
        }
        catch (Exception e)
        {
            return Fail<RIO_CQ>(ExtensionFunctions.Failed(e));
        }
    }

    private static void CloseCompletionQueue(RIO_CQ CQ)
    {
        try
        {
            if (CQ is RioCompletionQueue { IsClosed: false } cq) cq.Close();
            else ThreadContext.Current.LastError = Ws2Spi.WSAEINVAL;
        }
        catch (Exception e)
        {
            ExtensionFunctions.Failed(e);
        }
    }

    private static bool ResizeCompletionQueue(RIO_CQ CQ, uint QueueSize) =>
        ExtensionFunctions.Guarded(() => CQ is not RioCompletionQueue { IsClosed: false } cq || QueueSize == 0 || QueueSize > Ws2Spi.RIO_MAX_CQ_SIZE
            ? Ws2Spi.WSAEINVAL
            : cq.Resize((int)QueueSize));

    private static uint DequeueCompletion(RIO_CQ CQ, RIORESULT[] Array, uint ArraySize)
    {
        try
        {
            if (CQ is not RioCompletionQueue cq || Array is null || ArraySize > (uint)Array.Length) return Ws2Spi.RIO_CORRUPT_CQ;
            return cq.Dequeue(Array, (int)ArraySize);
        }
        catch (Exception e)
        {
            ExtensionFunctions.Failed(e);
            return Ws2Spi.RIO_CORRUPT_CQ;
        }
    }

    private static int Notify(RIO_CQ CQ)
    {
        try
        {
            if (CQ is not RioCompletionQueue { IsClosed: false } cq || cq.Notifier is not { } notifier) return Ws2Spi.WSAEINVAL;
            return notifier.Arm(cq);
        }
        catch (Exception e)
        {
            return ExtensionFunctions.Failed(e);
        }
    }

    private static T? Fail<T>(int error) where T : class
    {
        ThreadContext.Current.LastError = error;
        return null;
    }
}
