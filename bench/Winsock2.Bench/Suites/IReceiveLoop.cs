using System.Net;

namespace Winsock2.Bench.Suites;

/// <summary>
/// A receiver in the receive-path suite: connects to the feeder, then receives exactly <c>total</c> bytes in calls
/// of at most <c>size</c> bytes each (one call per message when the kernel has the data).
/// </summary>
public interface IReceiveLoop : IDisposable
{
    void Connect(IPEndPoint feeder, int receiveBufferBytes);

    /// <summary>Null on success, else what went wrong. With <paramref name="verify"/>, every byte is checked.</summary>
    string? ReceiveAll(long total, int size, bool verify);
}
