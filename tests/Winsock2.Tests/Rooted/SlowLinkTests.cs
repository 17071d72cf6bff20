using System.Net;
using System.Net.Sockets;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A slow network link without netem: a throttling TCP relay (userspace, loopback) in front of one leaf. The leaf's
/// application reads as fast as it can; only its link is slow.
/// </summary>
public class SlowLinkTests : RootedTest
{
    /// <summary>Forwards one connection to <c>target</c>: leaf to root at full speed, root to leaf at a fixed rate.</summary>
    private sealed class ThrottlingRelay : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly IPEndPoint _target;
        private readonly int _bytesPerSecond;
        private readonly List<Socket> _sockets = new();
        private readonly CancellationTokenSource _stop = new();

        public ThrottlingRelay(int targetPort, int bytesPerSecond)
        {
            _target = new IPEndPoint(IPAddress.Loopback, targetPort);
            _bytesPerSecond = bytesPerSecond;
            _listener.Start();
            new Thread(AcceptOne) { IsBackground = true, Name = "throttling relay" }.Start();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        private void AcceptOne()
        {
            try
            {
                var leaf = _listener.AcceptSocket();
                var root = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                root.Connect(_target);
                lock (_sockets) { _sockets.Add(leaf); _sockets.Add(root); }
                new Thread(() => Pump(leaf, root, 0)) { IsBackground = true }.Start();
                Pump(root, leaf, _bytesPerSecond);
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (SocketException) { } // the relay's peers went away
            catch (ObjectDisposedException) { }
        }

        /// <summary>Copies until either side ends; with a rate, reads no faster than that (4 KiB at a time).</summary>
        private void Pump(Socket from, Socket to, int rate)
        {
            var buf = new byte[rate == 0 ? 64 * 1024 : 4096];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long moved = 0;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    if (rate > 0)
                    {
                        long due = moved * 1000 / rate - clock.ElapsedMilliseconds;
                        if (due > 0) Thread.Sleep((int)Math.Min(due, 100)); // pacing the link, not ordering the test
                        if (due > 0) continue;
                    }
                    int n = from.Receive(buf);
                    if (n == 0) break;
                    to.Send(buf, n, SocketFlags.None);
                    moved += n;
                }
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            try { to.Shutdown(SocketShutdown.Send); } catch (Exception) { }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets) foreach (var s in _sockets) s.Dispose();
        }
    }

    [Fact]
    public void SlowLink_EvictionPolicy_SlowLeafEvicted_HealthyLeavesGetEverything()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, MP_POLICY_EVICT));
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 256 * 1024));
        using var relay = new ThrottlingRelay(PortOf(root), bytesPerSecond: 64 * 1024);
        var relayAddr = Loopback(relay.Port);
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
