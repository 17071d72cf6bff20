using System.Net;

namespace Winsock2.Bench.Suites;

/// <summary>
/// A multicast implementation under test: one sender, N receivers, all on 127.0.0.1 (IP_MULTICAST_IF pinned to
/// 127.0.0.1, memberships on interface 127.0.0.1). Baseline: System.Net.Sockets UDP (<see cref="Baselines.SocketMulticast"/>);
/// ours: UDP sockets made with WSA_FLAG_MULTIPOINT_C_LEAF | D_LEAF joined with WSAJoinLeaf.
/// </summary>
public interface IMulticastSubject : IDisposable
{
    /// <summary>Creates and joins <paramref name="receivers"/> receivers on <paramref name="group"/>; they start counting.</summary>
    void Open(int receivers, IPAddress group);

    /// <summary>Sends <paramref name="count"/> datagrams (sequence in the first 8 bytes) from the calling thread.</summary>
    void Send(long count, int size, bool paced);

    /// <summary>Waits until each receiver has <paramref name="expected"/> datagrams or has been quiet for a while.</summary>
    IReadOnlyList<LeafReport> WaitReceivers(long expected, TimeSpan timeout);
}
