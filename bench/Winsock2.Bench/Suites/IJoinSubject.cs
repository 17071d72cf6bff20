namespace Winsock2.Bench.Suites;

/// <summary>
/// A join implementation under test. Baseline: TCP connect plus a 64-byte request and response on raw sockets
/// (<see cref="Baselines.SocketJoin"/>). Ours: WSAJoinLeaf on the rooted provider — leaf-initiated (a c_leaf socket
/// joins the root) and root-initiated (the c_root socket invites a listening leaf).
/// </summary>
public interface IJoinSubject : IDisposable
{
    /// <summary>Prepares the side that waits: the root for leaf-initiated joins, a leaf listener for root-initiated ones.</summary>
    void Open(bool leafInitiated);

    /// <summary>One join, returning when both sides have completed it; the joined leaf stays joined until Dispose.</summary>
    void JoinOne();
}
