namespace Winsock2.Bench.Suites;

/// <summary>
/// A latency implementation under test: a message goes one way and comes back. Baseline: raw socket ping-pong
/// (<see cref="Baselines.SocketPingPong"/>); ours: a rooted session (root → leaf, leaf → root).
/// </summary>
public interface ILatencySubject : IDisposable
{
    void Open(int messageSize);

    /// <summary>Sends one message and returns when its echo has arrived.</summary>
    void RoundTrip();
}
