using Winsock2.Providers.Rooted;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// Before a join completes a connection may send only the join frames, and a frame's buffer grows with the bytes
/// that arrived: an unauthenticated peer's header alone never makes the root allocate the frame it announces.
/// </summary>
public class PreJoinMemoryTests : RootedTest
{
    private static byte[] Header(FrameType type, int length)
    {
        var h = new byte[Frame.HeaderSize];
        Frame.WriteHeader(h, type, length);
        return h;
    }

    [Fact]
    public void FrameDecoder_JoinPhase_DataHeaderRejectedBeforeAllocation()
    {
        var decoder = new FrameDecoder(RootedLimits.MaxMessage) { JoinPhase = true };
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(decoder.Feed(Header(FrameType.Data, RootedLimits.MaxMessage), (_, _) => { }));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Contains("before the join", decoder.Failure);
    }

    [Fact]
    public void FrameDecoder_AnnouncedFrame_BufferGrowsWithArrivedBytes()
    {
        var decoder = new FrameDecoder(RootedLimits.MaxMessage);
        Assert.True(decoder.Feed(Header(FrameType.Data, RootedLimits.MaxMessage), (_, _) => { }));
        Assert.True(decoder.BufferedCapacity <= FrameDecoder.InitialCapacity, $"{decoder.BufferedCapacity} bytes held for 0 bytes of payload");
        byte[]? got = null;
        var payload = new byte[RootedLimits.MaxMessage];
        new Random(5).NextBytes(payload);
        Assert.True(decoder.Feed(payload.AsSpan(0, 100_000), (_, p) => got = p));
        Assert.True(decoder.BufferedCapacity < 2 * 100_000 + FrameDecoder.InitialCapacity);
        Assert.True(decoder.Feed(payload.AsSpan(100_000), (_, p) => got = p));
        Assert.Equal(payload, got); // the whole frame, exactly, once it has all arrived
        Assert.Equal(0, decoder.BufferedCapacity);
    }

    [Fact]
    public void Root_HundredPreJoinPeersAnnouncingMaximumFrames_HeapGrowthUnder8MiB()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_JOIN_TIMEOUT, 60_000)); // they stay while the test measures
        Assert.True(Runtime.ApiInstance.Sockets.TryGet(root.Value, out var entry));
        var rootSocket = (RootSocket)entry.Context!;
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var joinHeader = Header(FrameType.JoinRequest, Frame.MaxControlPayload);
        var dataHeader = Header(FrameType.Data, RootedLimits.MaxMessage);
        var dataPeers = new List<SOCKET>();
        for (int i = 0; i < 100; i++)
        {
            var join = Track(socket(AF_INET, SOCK_STREAM, 0));
            Ok(connect(join, addr, addr.Length));
            Assert.Equal(joinHeader.Length, send(join, joinHeader, joinHeader.Length, 0)); // the largest frame allowed before a join
            var data = Track(socket(AF_INET, SOCK_STREAM, 0));
            Ok(connect(data, addr, addr.Length));
            Assert.Equal(dataHeader.Length, send(data, dataHeader, dataHeader.Length, 0)); // a 1 MiB frame no join allows
            dataPeers.Add(data);
        }
        // The DATA announcers are dropped; the join announcers wait, each with its header read.
        foreach (var peer in dataPeers)
        {
            Ok(setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, 10_000));
            var b = new byte[16];
            int n = recv(peer, b, b.Length, 0);
            Assert.True(n == 0 || WSAGetLastError() == WSAECONNRESET, $"a peer announcing DATA before its join was kept (recv {n}, error {WSAGetLastError()})");
        }
        Eventually(() => rootSocket.Handshaking == (100, 100), "the root to have read every join announcer's header", 10_000);
        GC.Collect();
        long growth = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(growth < 8 << 20, $"heap grew {growth >> 10} KiB for 200 pre-join peers");
    }
}
