using System.Net;

namespace Winsock2.Bench.Suites;

/// <summary>
/// A fan-out implementation under test: one root sending to N leaves on loopback. The root runs in the measuring
/// process; the leaves run on threads of this process or in child processes (<see cref="FanOutLeaves"/>), the same
/// leaf code either way. Messages are framed as <see cref="FanOutFrame"/> describes; leaves verify them with
/// <see cref="FrameVerifier"/>.
/// </summary>
public interface IFanOutSide
{
    /// <summary>Short name, also the child-process argument that picks the leaf: rio, recv, netmq, raw.</summary>
    string Key { get; }

    /// <summary>A root, not yet open.</summary>
    IFanOutRoot CreateRoot();

    /// <summary>
    /// One leaf, run to the end of the stream on the calling thread: joins or connects to <paramref name="root"/>, calls
    /// <paramref name="ready"/> once it will see every message the root sends from then on, verifies every frame, and
    /// returns what it saw. Bounded: it gives up after 30 s without a message. Never throws.
    /// </summary>
    LeafReport RunLeaf(IPEndPoint root, int messageSize, Action ready);
}

/// <summary>The root of one fan-out run.</summary>
public interface IFanOutRoot : IDisposable
{
    /// <summary>Binds on 127.0.0.1 and listens; returns where leaves join.</summary>
    IPEndPoint Open(int leaves, int messageSize);

    /// <summary>
    /// Waits (bounded) until <paramref name="leaves"/> leaves are joined and <paramref name="leavesReady"/> says every
    /// leaf is ready; null, or why not.
    /// </summary>
    string? Admit(int leaves, Func<bool> leavesReady, TimeSpan timeout);

    /// <summary>
    /// The root's send loop: messages with sequence 0, 1, 2 … to every leaf until <paramref name="maxMessages"/> or
    /// <paramref name="budget"/> is reached (checked between batches), then ends the stream. Returns how many were sent.
    /// </summary>
    long SendLoop(long maxMessages, TimeSpan budget);
}

/// <summary>
/// What one leaf received: messages verified in order, messages it knows were lost (only a side that may drop, NetMQ
/// at its high-water mark, reports any; for every other side a gap is an error), the first error, and when it saw the
/// end (Stopwatch ticks: the monotonic clock, the same in every process of the machine).
/// </summary>
public readonly record struct LeafReport(long Received, string? Error, long FinishedTimestamp, long Lost = 0);
