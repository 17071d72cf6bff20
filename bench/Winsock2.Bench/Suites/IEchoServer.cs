using System.Net;

namespace Winsock2.Bench.Suites;

/// <summary>An echo server the IOCP suite's clients talk to: started on loopback, stopped on Dispose.</summary>
public interface IEchoServer : IDisposable
{
    /// <summary>Starts listening on 127.0.0.1 and returns where.</summary>
    IPEndPoint Start();
}
