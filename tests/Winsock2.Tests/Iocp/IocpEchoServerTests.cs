using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// An IOCP echo server (accept + CreateIoCompletionPort association, 4 worker threads) serves many concurrent clients
/// byte-exact: every client sends two messages of its own length and content and must get exactly them back.
/// </summary>
public class IocpEchoServerTests : IocpTest
{
    private const int Clients = 200, ClientThreads = 4, Rounds = 2;

    private static byte[] Payload(int client, int round)
    {
        var rng = new Random(client * 31 + round);
        var b = new byte[1 + rng.Next(12_000)];
        rng.NextBytes(b);
        return b;
    }

    /// <summary>The clients, <see cref="ClientThreads"/> threads each driving its share: connect all, then per round send all and read all back.</summary>
    private void RunClients(byte[] address)
    {
        var threads = Enumerable.Range(0, ClientThreads).Select(t => Run(() =>
        {
            var mine = Enumerable.Range(0, Clients).Where(i => i % ClientThreads == t).ToArray();
            var sockets = new SOCKET[mine.Length];
            for (int i = 0; i < mine.Length; i++)
            {
                sockets[i] = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
                Ok(connect(sockets[i], address, address.Length), "connect");
                Ok(setsockopt(sockets[i], SOL_SOCKET, SO_RCVTIMEO, BitConverter.GetBytes(30_000), 4), "SO_RCVTIMEO");
            }
            for (int round = 0; round < Rounds; round++)
            {
                for (int i = 0; i < mine.Length; i++)
                {
                    var p = Payload(mine[i], round);
                    Assert.Equal(p.Length, send(sockets[i], p, p.Length, 0));
                }
                for (int i = 0; i < mine.Length; i++)
                {
                    var expected = Payload(mine[i], round);
                    var got = new byte[expected.Length];
                    int have = 0;
                    var chunk = new byte[expected.Length];
                    while (have < expected.Length)
                    {
                        int n = recv(sockets[i], chunk, expected.Length - have, 0);
                        Assert.True(n > 0, $"client {mine[i]} round {round}: recv {n}, error {WSAGetLastError()} after {have} of {expected.Length}");
                        Array.Copy(chunk, 0, got, have, n);
                        have += n;
                    }
                    Assert.Equal(expected, got);
                }
            }
            foreach (var s in sockets) Ok(closesocket(s), "closesocket");
        })).ToList();
        foreach (var t in threads) Assert.True(t.Join(120_000), "clients did not finish");
    }

    private static long TotalBytes() =>
        Enumerable.Range(0, Clients).Sum(i => Enumerable.Range(0, Rounds).Sum(r => (long)Payload(i, r).Length));

    [Fact]
    public void GetQueuedCompletionStatus_EchoServerFourWorkers_ServesManyClientsByteExact()
    {
        using var server = new IocpEchoServer(workers: 4, useEx: false);
        RunClients(server.Address);
        Eventually(() => server.Closed == Clients, "the server to see every client close", 30_000);
        Assert.Equal(0, server.Failures);
        Assert.Equal(TotalBytes(), server.BytesEchoed);
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_EchoServerFourWorkers_ServesManyClientsByteExact()
    {
        using var server = new IocpEchoServer(workers: 4, useEx: true);
        RunClients(server.Address);
        Eventually(() => server.Closed == Clients, "the server to see every client close", 30_000);
        Assert.Equal(0, server.Failures);
        Assert.Equal(TotalBytes(), server.BytesEchoed);
    }
}
