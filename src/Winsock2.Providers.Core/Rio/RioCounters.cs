using System.Runtime.InteropServices;

namespace Winsock2.Providers.Core;

/// <summary>
/// The counters of a <see cref="RioRing"/>, in two groups each on its own cache lines: what the application's
/// posting thread writes (<see cref="Tail"/>, <see cref="Committed"/>, its cached copy of <see cref="Released"/> and
/// its completion-queue credits), and what the transport's and the publisher's threads write (<see cref="Head"/>,
/// <see cref="Released"/>, and the transport's cached copy of <see cref="Committed"/>). A post then dirties no line
/// the transport reads per request, and the reverse: the two threads meet only when a cached copy runs out.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
internal struct RioRingCounters
{
    private const int CacheLine = 64;

    /// <summary>Posted by the application.</summary>
    [FieldOffset(CacheLine)] public long Tail;
    /// <summary>Visible to the transport.</summary>
    [FieldOffset(CacheLine + 8)] public long Committed;
    /// <summary>The posting thread's last look at <see cref="Released"/> (never ahead of it).</summary>
    [FieldOffset(CacheLine + 16)] public long ReleasedSeen;
    /// <summary>
    /// Completion-queue entries this direction reserved ahead and has not used yet (only while it is its completion
    /// queue's one posting direction: <see cref="RioCompletionQueue"/>).
    /// </summary>
    [FieldOffset(CacheLine + 24)] public int Credits;
    /// <summary>
    /// Nonzero while the posting thread uses or takes <see cref="Credits"/> (what a revocation waits out). A flag, not a
    /// count: it relies on one posting thread per direction at a time, which RIO requires of a request queue. Two threads
    /// posting to one direction at once break that contract here as they do for <see cref="Tail"/>: they may lose requests
    /// and overbook the completion queue, whose results then are the misusing queue's own.
    /// </summary>
    [FieldOffset(CacheLine + 28)] public int UsingCredits;

    /// <summary>Completed by the transport.</summary>
    [FieldOffset(2 * CacheLine)] public long Head;
    /// <summary>Published into the completion queue.</summary>
    [FieldOffset(2 * CacheLine + 8)] public long Released;
    /// <summary>The transport's last look at <see cref="Committed"/> (never ahead of it).</summary>
    [FieldOffset(2 * CacheLine + 16)] public long CommittedSeen;
}

/// <summary>
/// The counters of a <see cref="RioCompletionQueue"/>, in two groups each on its own cache lines: the application's
/// (<see cref="Used"/>, changed by every post — by a batch of posts for a direction holding credits — and every dequeue,
/// and <see cref="Head"/>, by every dequeue) and the
/// publishers' (<see cref="Tail"/>, once per published batch). A post's reservation then no longer contends with a
/// transport publishing on another thread.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
internal struct RioQueueCounters
{
    private const int CacheLine = 64;

    /// <summary>
    /// Entries taken: results in the ring, posted requests whose results are not yet published, and credits a posting
    /// direction holds.
    /// </summary>
    [FieldOffset(CacheLine)] public long Used;
    /// <summary>Dequeued by the application.</summary>
    [FieldOffset(CacheLine + 8)] public long Head;
    /// <summary>Nonzero while a dequeue runs (a second at once is RIO_CORRUPT_CQ).</summary>
    [FieldOffset(CacheLine + 16)] public int Dequeuing;

    /// <summary>Published by the transports.</summary>
    [FieldOffset(2 * CacheLine)] public long Tail;
    /// <summary>Entries in the ring whose request lacked RIO_MSG_DONT_NOTIFY.</summary>
    [FieldOffset(2 * CacheLine + 8)] public long Notifiable;
}
