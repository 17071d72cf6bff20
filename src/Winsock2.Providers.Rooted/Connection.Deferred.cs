using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// Input left to the application's own thread. While an owner consumes the connection's messages itself and will look
/// again without being told (<see cref="IConnectionOwner.MayDeferRead"/>: a leaf whose Registered I/O completion queue
/// is polled by the application, with no RIONotify armed), readiness is not read by the reactor, nor does a reading
/// turn that spent its budget continue on the thread pool: the connection only notes that input waits, and the
/// application's next RIODequeueCompletion on an empty queue reads it on its thread, as the baseline's reader reads
/// its own socket — no thread hop, and the receive slots and completions stay on one core. Arming RIONotify reads what
/// was left (<see cref="ReadDeferred"/>) before the application sleeps; from then on readiness is read as usual. Bytes
/// left waiting stay in the kernel's receive buffer (its bound holds) and count as the peer's sign of life
/// (<see cref="Tick"/>).
/// </summary>
internal sealed partial class Connection
{
    /// <summary>1 while input waits that the owner's thread will read (<see cref="TryDeferInput"/>).</summary>
    private int _inputDeferred;

    /// <summary>True while input waits for the owner's thread to read it (tests and diagnostics).</summary>
    public bool InputDeferred => Volatile.Read(ref _inputDeferred) != 0;

    /// <summary>
    /// Readiness (or a spent turn) the owner may leave to its own thread: true when it is noted and left; false when
    /// the caller must read. The note is made before the owner is asked again, so an owner that stops deferring
    /// meanwhile (RIONotify armed) finds it (<see cref="ReadDeferred"/>): the input is read by one of the two.
    /// </summary>
    private bool TryDeferInput()
    {
        if (!Owner.MayDeferRead(this)) return false;
        Volatile.Write(ref _inputDeferred, 1);
        Interlocked.MemoryBarrier();
        return Owner.MayDeferRead(this);
    }

    /// <summary>
    /// The owner stopped deferring (it is about to sleep): input that was left for it is read now, on the calling
    /// thread, unless a reader is already at work (which reads it).
    /// </summary>
    public void ReadDeferred()
    {
        Interlocked.MemoryBarrier(); // the owner's change is visible before the note is looked at
        if (Volatile.Read(ref _inputDeferred) == 0) return;
        ReadInline();
    }

    /// <summary>
    /// The owner will not read the connection itself any more (closesocket: it reads on to the peer's LEAVE): input
    /// left for it is read on the thread pool.
    /// </summary>
    public void ReleaseDeferred()
    {
        Interlocked.MemoryBarrier(); // the owner's change is visible before the note is looked at
        if (Volatile.Read(ref _inputDeferred) != 0) RequestReadOnThreadPool();
    }
}
