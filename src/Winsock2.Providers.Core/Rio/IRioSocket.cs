namespace Winsock2.Providers.Core;

/// <summary>
/// What a provider socket implements to take Registered I/O. The transport consumes its request queue's posted
/// requests (<see cref="RioRequestQueue.TryPeekReceive(out RioRequest)"/>, <see cref="RioRequestQueue.CompleteReceive"/>,
/// <see cref="RioRequestQueue.Publish"/>), one thread at a time per queue, and aborts them when the socket closes
/// (<see cref="RioRequestQueue.Abort"/>).
/// </summary>
public interface IRioSocket
{
    /// <summary>
    /// RIOCreateRequestQueue's provider step: 0, or the error — WSAEINVAL when the socket was not made with
    /// WSA_FLAG_REGISTERED_IO, already has a request queue or is closing; WSAEOPNOTSUPP for a kind that cannot.
    /// </summary>
    int RioAttach(RioRequestQueue rq);

    /// <summary>Receives were posted (committed) on the application's thread: the transport starts or wakes its receiving.</summary>
    void RioReceivesPosted();

    /// <summary>Sends were posted (committed) on the application's thread: the transport starts or wakes its sending.</summary>
    void RioSendsPosted();

    /// <summary>
    /// RIODequeueCompletion found its queue empty: the transport may do pending work inline (nonblocking), on the
    /// application's thread, so completions appear without a thread hop. May do nothing.
    /// </summary>
    void RioPoll();

    /// <summary>
    /// RIONotify armed the notification of a completion queue this socket's request queue uses, on the application's
    /// thread, which is about to wait: work the transport left for that thread's next poll is done now (nonblocking).
    /// The default does nothing.
    /// </summary>
    void RioNotifyArmed() { }
}
