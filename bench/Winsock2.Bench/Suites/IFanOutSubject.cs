namespace Winsock2.Bench.Suites;

/// <summary>
/// A fan-out implementation under test: one root sending to N leaves on loopback. The baseline is plain
/// System.Net.Sockets (<see cref="Baselines.SocketFanOut"/>); ours will be the rooted multipoint provider —
/// WSASocket(AF_INET, SOCK_SEQPACKET, 0, …, WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT) with leaves
/// joining through WSAJoinLeaf. Messages are framed as <see cref="FanOutFrame"/> describes; leaves verify them with
/// <see cref="FrameVerifier"/>.
/// </summary>
public interface IFanOutSubject : IDisposable
{
    /// <summary>Sets up the root and <paramref name="leaves"/> joined leaves; each leaf starts receiving and verifying at once.</summary>
    void Start(int leaves, int messageSize);

    /// <summary>
    /// The root's send loop: messages with sequence 0, 1, 2 … to every leaf until <paramref name="maxMessages"/> or
    /// <paramref name="budget"/> is reached (checked between batches), then ends the stream. Returns how many were sent.
    /// </summary>
    long SendLoop(long maxMessages, TimeSpan budget);

    /// <summary>Waits (bounded) until every leaf saw the end of the stream; one report per leaf.</summary>
    IReadOnlyList<LeafReport> WaitReceivers(TimeSpan timeout);
}

/// <summary>What one leaf received: messages verified in order, the first error, when it saw the end (Stopwatch ticks).</summary>
public readonly record struct LeafReport(long Received, string? Error, long FinishedTimestamp);
