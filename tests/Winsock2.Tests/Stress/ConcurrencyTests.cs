using System.Collections.Concurrent;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Stress;

/// <summary>
/// Bounded stress: closesocket racing pending receives, and receives from several threads at once, never crash,
/// deadlock or leak an exception. Every loop stops by count and by a time budget.
/// </summary>
public class ConcurrencyTests : WinsockTest
{
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Action<string, Exception> _onFailure;

    public ConcurrencyTests()
    {
        _onFailure = (where, e) => _failures.Enqueue($"{where}: {e}");
        Kernel.Diagnostics.Failure += _onFailure;
    }

    public override void Dispose()
    {
        Kernel.Diagnostics.Failure -= _onFailure;
        base.Dispose();
    }

    [Fact]
    public void closesocket_RacingPendingReceives_AbortsEveryOneWithoutExceptions()
    {
        var budget = Environment.TickCount64 + 20_000;
        for (int round = 0; round < 100 && Environment.TickCount64 < budget; round++)
        {
            var (c, s) = TcpPair();
            var events = new WSAEVENT[8];
            var ovs = new WSAOVERLAPPED[8];
            for (int i = 0; i < 8; i++)
            {
                events[i] = WSACreateEvent();
                ovs[i] = new WSAOVERLAPPED { hEvent = events[i] };
                uint flags = 0;
                int rc = WSARecv(s, [new WSABUF(new byte[16])], 1, out _, ref flags, ovs[i], null);
                Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
            }
            int blockingRc = 0, blockingErr = 0;
            var blocked = Run(() => { blockingRc = recv(s, new byte[16], 16, 0); blockingErr = WSAGetLastError(); });
            var sender = Run(() => { for (int i = 0; i < 4; i++) send(c, Bytes("race"), 4, 0); });
            var closer = Run(() => closesocket(s));
            Assert.True(closer.Join(10_000), "closesocket deadlocked");
            Assert.True(sender.Join(10_000), "send deadlocked");
            Assert.True(blocked.Join(10_000), "blocking recv never returned");
            Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(8, events, true, 10_000, false));
            foreach (var ov in ovs)
            {
                uint err = ov.OffsetHigh;
                Assert.True(err == 0 || err == WSA_OPERATION_ABORTED, $"unexpected completion error {err}");
            }
            Assert.True(blockingRc >= 0 || blockingErr is WSAEINTR or WSAENOTSOCK, $"blocking recv ended with {blockingErr}");
            foreach (var e in events) WSACloseEvent(e);
            closesocket(c);
        }
        Assert.Empty(_failures);
    }

    [Fact]
    public void recv_FromSeveralThreadsAtOnce_EveryByteDeliveredOnce()
    {
        var (c, s) = TcpPair();
        const int total = 200_000;
        long received = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => Run(() =>
        {
            var buf = new byte[997];
            while (true)
            {
                int n = recv(s, buf, buf.Length, 0);
                if (n <= 0) break;
                Interlocked.Add(ref received, n);
            }
        })).ToArray();
                var chunk = new byte[4096];
        int sent = 0;
        while (sent < total)
        {
            int n = send(c, chunk, Math.Min(chunk.Length, total - sent), 0);
            Assert.True(n > 0, $"send failed with {WSAGetLastError()}");
            sent += n;
        }
        Ok(shutdown(c, SD_SEND));
        foreach (var r in readers) Assert.True(r.Join(20_000), "a reader deadlocked");
        Assert.Equal(total, Interlocked.Read(ref received));
        Assert.Empty(_failures);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecvFrom_DatagramsFromSeveralThreads_EachDeliveredExactlyOnce()
    {
        var (a, _, b, addrB) = UdpPair();
        Ok(setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, 2000));
        const int count = 2000;
        var seen = new ConcurrentDictionary<int, int>();
        var readers = Enumerable.Range(0, 4).Select(_ => Run(() =>
        {
            var buf = new byte[16];
            while (true)
            {
                int n = recv(b, buf, buf.Length, 0);
                if (n != 4) break; // the receive timeout ends the reader once the datagrams stop
                seen.AddOrUpdate(BitConverter.ToInt32(buf, 0), 1, (_, v) => v + 1);
            }
        })).ToArray();
                for (int i = 0; i < count; i++)
        {
            Assert.Equal(4, sendto(a, BitConverter.GetBytes(i), 4, 0, addrB, addrB.Length));
            // Bursts of 100 fit any receive buffer, so loopback never has to drop one.
            if (i % 100 == 99) Eventually(() => seen.Count == i + 1, "the readers to take the burst", 10_000);
        }
        foreach (var r in readers) Assert.True(r.Join(20_000), "a reader deadlocked");
        Assert.All(seen.Values, v => Assert.Equal(1, v)); // nothing delivered twice
        Assert.Equal(count, seen.Count);
        Assert.Empty(_failures);
        closesocket(a); closesocket(b);
    }
}
