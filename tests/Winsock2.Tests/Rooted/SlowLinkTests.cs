using System.Net;
using Winsock2.Bench.Harness;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A slow network link without netem: a throttling TCP relay (userspace, loopback; the benchmark's
/// <see cref="ThrottledLink"/>) in front of one leaf. The leaf's application reads as fast as it can; only its link is slow.
/// </summary>
public class SlowLinkTests : RootedTest
{
    [Fact]
    public void SlowLink_EvictionPolicy_SlowLeafEvicted_HealthyLeavesGetEverything()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, MP_POLICY_EVICT));
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 256 * 1024));
        using var relay = new ThrottledLink(new IPEndPoint(IPAddress.Loopback, PortOf(root)), bytesPerSecond: 64 * 1024);
        var relayAddr = Loopback(relay.EndPoint.Port);
        var (healthy1, _) = JoinAccepted(root, addr);
        var (healthy2, _) = JoinAccepted(root, addr);
        var (slow, slowHandle) = JoinAccepted(root, relayAddr);
        var ev = NewEvent();
        Ok(WSAEventSelect(slowHandle, ev, FD_CLOSE));
        const int count = 2000, size = 16_384;
        var received = new int[2];
        Worker Reader(SOCKET leaf, int index) => Run(() =>
        {
            var buf = new byte[size + 1];
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(size, recv(leaf, buf, buf.Length, 0));
                Assert.Equal(i, BitConverter.ToInt32(buf, 0));
                Volatile.Write(ref received[index], i + 1);
            }
        });
        var readers = new[] { Reader(healthy1, 0), Reader(healthy2, 1) };
        // The slow leaf's application reads everything its link brings, until it is evicted.
        var slowReader = Run(() =>
        {
            var buf = new byte[size + 1];
            while (recv(slow, buf, buf.Length, 0) > 0) { }
        });
        var msg = new byte[size];
        for (int i = 0; i < count; i++)
        {
            BitConverter.GetBytes(i).CopyTo(msg, 0);
            Assert.Equal(size, send(root, msg, size, 0)); // under eviction the root never waits for the slow link
            if (i % 8 == 7)
                Eventually(() => Volatile.Read(ref received[0]) == i + 1 && Volatile.Read(ref received[1]) == i + 1,
                    "the healthy leaves to take the burst", 60_000);
        }
        foreach (var r in readers) Assert.True(r.Join(60_000), "a healthy leaf did not get every message");
        Assert.Equal(WSAECONNABORTED, WaitEvents(slowHandle, ev, FD_CLOSE, 30_000).iErrorCode[FD_CLOSE_BIT]);
        relay.Dispose(); // the slow leaf's connection ends with the relay
        Assert.True(slowReader.Join(30_000), "the slow leaf's receive did not end after its eviction");
    }
}
