using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// An IOCP echo server built on AcceptEx (several posted on the listener, each with a first-data buffer, re-posted
/// after each accept; SO_UPDATE_ACCEPT_CONTEXT; the accepted socket associated with the port) and 4 worker threads
/// serves 200 concurrent clients byte-exact over several rounds; each client's first message is larger than the
/// AcceptEx's first-data buffer, so its echo is the first data followed by receives.
/// </summary>
public class IocpAcceptExServerTests : IocpTest
{
    private const int Clients = 200, ClientThreads = 4, Rounds = 3, AcceptsPosted = 8;

    private static byte[] Payload(int client, int round)
    {
        var rng = new Random(client * 131 + round * 7 + 1);
        var b = new byte[1 + rng.Next(10_000)];
        rng.NextBytes(b);
        return b;
    }

    private static long TotalBytes() =>
        Enumerable.Range(0, Clients).Sum(i => Enumerable.Range(0, Rounds).Sum(r => (long)Payload(i, r).Length));

    /// <summary>
    /// <see cref="ClientThreads"/> threads, each driving its share of the clients: connect them all, then per round send
    /// every client's message and read every echo back exactly (a client speaks first, as AcceptEx's first data needs).
    /// </summary>
    private void RunClients(byte[] address)
    {
        var threads = Enumerable.Range(0, ClientThreads).Select(t => Run(() =>
        {
            var mine = Enumerable.Range(0, Clients).Where(i => i % ClientThreads == t).ToArray();
            var sockets = mine.Select(_ => Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP))).ToArray();
            foreach (var s in sockets)
            {
                Ok(connect(s, address, address.Length), "connect");
                Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, BitConverter.GetBytes(30_000), 4), "SO_RCVTIMEO");
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
                    for (int have = 0; have < expected.Length;)
                    {
                        int n = recv(sockets[i], got, have, expected.Length - have, 0);
                        Assert.True(n > 0, $"client {mine[i]} round {round}: recv {n}, error {WSAGetLastError()} after {have} of {expected.Length}");
                        have += n;
                    }
                    Assert.Equal(expected, got);
                }
            }
            foreach (var s in sockets) Ok(closesocket(s), "closesocket");
        })).ToList();
        foreach (var t in threads) Assert.True(t.Join(120_000), "clients did not finish");
    }

    private void Serve(bool useEx)
    {
        using var server = new IocpAcceptExServer(workers: 4, AcceptsPosted, useEx);
        RunClients(server.Address);
        Eventually(() => server.Closed == Clients, "the server to see every client close", 30_000);
        Assert.Equal(Clients, server.Accepted);
        Assert.Equal(0, server.Failures);
        Assert.Equal(TotalBytes(), server.BytesEchoed);
    }

    [Fact]
    public void AcceptEx_IocpServerFourWorkers_Serves200ClientsByteExact() => Serve(useEx: false);

    [Fact]
    public void AcceptEx_IocpServerFourWorkersGetQueuedCompletionStatusEx_Serves200ClientsByteExact() => Serve(useEx: true);
}
