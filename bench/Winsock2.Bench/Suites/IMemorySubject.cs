using System.Net;

namespace Winsock2.Bench.Suites;

/// <summary>
/// A root holding idle peers, for the memory suite. The peers run in a child process (<see cref="Harness.ChildProcess"/>)
/// so only the root's memory is measured. Baseline: a .NET server holding accepted sockets, each with a pending
/// zero-byte ReceiveAsync (<see cref="Baselines.SocketIdlePeers"/>); ours: the rooted provider's root with joined leaves.
/// </summary>
public interface IMemorySubject : IDisposable
{
    /// <summary>Starts the root; returns where peers connect or join.</summary>
    IPEndPoint Open();

    /// <summary>The child-process role that creates the peers (see ChildProcess).</summary>
    string ChildRole { get; }

    /// <summary>Waits (bounded) until the root holds <paramref name="count"/> idle peers.</summary>
    bool WaitJoined(int count, TimeSpan timeout);

    /// <summary>
    /// Under load: the root sends 16 KiB messages to every peer (whose application never reads) until it is made to
    /// wait and nothing drains for a second, or <paramref name="cap"/> bytes were accepted. Returns the bytes accepted.
    /// </summary>
    long Flood(long cap);
}
