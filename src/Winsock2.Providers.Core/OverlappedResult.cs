using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>WSPGetOverlappedResult, and immediate completion of operations that never pend.</summary>
internal static class OverlappedResult
{
    /// <summary>Reads the result the provider left in the WSAOVERLAPPED; with fWait, waits on hEvent first.</summary>
    public static bool Get(WSAOVERLAPPED ov, out uint bytes, bool fWait, out uint flags, out int errno)
    {
        bytes = 0;
        flags = 0;
        if (ov is null) { errno = Ws2Spi.WSAEFAULT; return false; }
        if (ov.IsPending)
        {
            if (!fWait) { errno = Ws2Spi.WSA_IO_INCOMPLETE; return false; }
            if (!Events.TryGet(IoFiles.EventOf(ov.hEvent), out var ev)) { errno = Ws2Spi.WSA_INVALID_HANDLE; return false; }
            var set = new[] { ev };
            while (ov.IsPending)
            {
                Waits.WaitForEvents(set, false, Ws2Spi.WSA_INFINITE, alertable: false);
                if (ov.IsPending) Thread.Yield();
            }
        }
        bytes = (uint)ov.InternalHigh;
        flags = ov.Offset;
        errno = (int)ov.OffsetHigh;
        return errno == 0;
    }

    /// <summary>
    /// An overlapped call on <paramref name="owner"/> that finished at once: fill the structure and signal or queue the
    /// routine, and queue the packet to the completion port the socket is associated with (as any operation that
    /// completes inside its call: FILE_SKIP_COMPLETION_PORT_ON_SUCCESS leaves it out).
    /// </summary>
    public static void CompleteImmediately(WSPUPCALLTABLE upcalls, IProviderSocket owner, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, int bytes) =>
        new Completion(upcalls, owner).CompleteAtOnce(new IoRequest([], 0, 0, ov, routine, threadId), bytes, 0);
}
