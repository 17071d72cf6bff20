namespace Winsock2;

/// <summary>
/// A socket-address structure in Windows <c>sockaddr</c> layout (<see cref="SOCKADDR"/>, <see cref="SOCKADDR_IN"/>,
/// <see cref="SOCKADDR_IN6"/>, <see cref="SOCKADDR_STORAGE"/>): every function that takes or returns a sockaddr
/// accepts one by <c>ref</c>, as C passes <c>(SOCKADDR*)&amp;addr</c>.
/// </summary>
public interface ISockAddr
{
    /// <summary>The address family (the first two bytes of every sockaddr).</summary>
    ushort Family { get; }
}
