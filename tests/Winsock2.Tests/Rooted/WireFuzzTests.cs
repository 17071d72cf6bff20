using System.Buffers.Binary;
using Winsock2.Providers.Rooted;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// The join and data decoders under 100,000+ random and mutated frames: never an exception, never a payload
/// buffer beyond its type's bound, and every accepted frame within its bound. Seeded, so a failure reproduces.
/// </summary>
public class WireFuzzTests
{
    private static readonly FrameType[] Types = Enum.GetValues<FrameType>();

    private static byte[] ValidFrame(Random rnd)
    {
        switch (rnd.Next(6))
        {
            case 0:
                var caller = new byte[rnd.Next(0, 64)];
                rnd.NextBytes(caller);
                QOS? q = rnd.Next(2) == 0 ? null : new QOS { SendingFlowspec = FLOWSPEC.NotSpecified(SERVICETYPE_GUARANTEED) with { TokenRate = (uint)rnd.Next() } };
                return new JoinRequest((JoinDirection)rnd.Next(1, 3), (uint)rnd.Next(0, 8), caller, q).Encode();
            case 1:
                var callee = new byte[rnd.Next(0, 64)];
                rnd.NextBytes(callee);
                return new JoinAccept(callee, null).Encode();
            case 2:
                return JoinReject.Encode(rnd.Next());
            case 3:
                return Frame.Make(FrameType.Heartbeat, []);
            default:
                var data = new byte[rnd.Next(0, 2048)];
                rnd.NextBytes(data);
                return Frame.Make(rnd.Next(2) == 0 ? FrameType.Data : FrameType.DataMore, data);
        }
    }

    private static byte[] Mutate(byte[] frame, Random rnd)
    {
        var b = (byte[])frame.Clone();
        switch (rnd.Next(6))
        {
            case 0: // flip bits
                for (int i = rnd.Next(1, 4); i > 0 && b.Length > 0; i--) b[rnd.Next(b.Length)] ^= (byte)(1 << rnd.Next(8));
                return b;
            case 1: // a hostile length
                if (b.Length >= 8) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), rnd.Next(3) switch { 0 => int.MaxValue, 1 => -rnd.Next(1, 100), _ => rnd.Next() });
                return b;
            case 2: // truncated
                return b[..rnd.Next(b.Length + 1)];
            case 3: // unknown type or version
                if (b.Length >= 4) b[rnd.Next(2, 4)] = (byte)rnd.Next(256);
                return b;
            case 4: // pure garbage
                var g = new byte[rnd.Next(1, 64)];
                rnd.NextBytes(g);
                return g;
            default: // payload length inside the frame disagrees with its fields
                if (b.Length > 9) b[8 + rnd.Next(b.Length - 8)] = (byte)rnd.Next(256);
                return b;
        }
    }

    [Fact]
    public void FrameDecoder_RandomAndMutatedFrames_NoExceptionAndBoundedMemory()
    {
        var rnd = new Random(20261121);
        int frames = 0, accepted = 0, rejected = 0;
        const int streams = 25_000;
        for (int s = 0; s < streams; s++)
        {
            var decoder = new FrameDecoder(RootedLimits.MaxMessage);
            var stream = new MemoryStream();
            int count = rnd.Next(1, 10);
            for (int i = 0; i < count; i++)
            {
                var f = ValidFrame(rnd);
                stream.Write(rnd.Next(3) == 0 ? Mutate(f, rnd) : f);
                frames++;
            }
            var bytes = stream.ToArray();
            int pos = 0;
            while (pos < bytes.Length && !decoder.Failed)
            {
                int chunk = Math.Min(bytes.Length - pos, rnd.Next(1, 300)); // arbitrary read boundaries
                decoder.Feed(bytes.AsSpan(pos, chunk), (type, payload) =>
                {
                    accepted++;
                    Assert.True(payload.Length <= Frame.MaxPayload(type, RootedLimits.MaxMessage), $"{type} payload {payload.Length} over its bound");
                    // the join decoders answer null for what they cannot parse, never throw
                    if (type == FrameType.JoinRequest) { var r = JoinRequest.Decode(payload); if (r is not null) Assert.True(r.CallerData.Length <= MP_MAX_CONNECT_DATA); }
                    if (type == FrameType.JoinAccept) { var a = JoinAccept.Decode(payload); if (a is not null) Assert.True(a.CalleeData.Length <= MP_MAX_CONNECT_DATA); }
                    if (type == FrameType.JoinReject) JoinReject.Decode(payload);
                });
                Assert.True(decoder.BufferedCapacity <= RootedLimits.MaxMessage);
                pos += chunk;
            }
            if (decoder.Failed) rejected++;
        }
        Assert.True(frames >= 100_000, $"only {frames} frames");
        Assert.True(accepted > 0 && rejected > 0, "the corpus must exercise both outcomes");
    }

    [Fact]
    public void JoinDecoders_RandomPayloads_NullNeverThrow()
    {
        var rnd = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            var p = new byte[rnd.Next(0, 200)];
            rnd.NextBytes(p);
            JoinRequest.Decode(p);
            JoinAccept.Decode(p);
            JoinReject.Decode(p);
        }
    }

    [Fact]
    public void FrameDecoder_OversizedLength_RejectedBeforeAllocation()
    {
        var decoder = new FrameDecoder(RootedLimits.MaxMessage);
        byte[] header = [Frame.Magic0, Frame.Magic1, Frame.Version, (byte)FrameType.Data, 0x7F, 0xFF, 0xFF, 0xFF];
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(decoder.Feed(header, (_, _) => { }));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes for a rejected 2 GiB frame");
        Assert.Equal(0, decoder.BufferedCapacity);
    }
}

/// <summary>The live root under hostile connections: each is dropped, the root keeps serving its leaves.</summary>
public class LiveFuzzTests : RootedTest
{
    [Fact]
    public void Root_HostileConnections_DroppedEachTime_LeafStillServed()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var rnd = new Random(99);
        for (int i = 0; i < 200; i++)
        {
            var raw = socket(AF_INET, SOCK_STREAM, 0);
            Ok(connect(raw, addr, addr.Length));
            var junk = new byte[rnd.Next(1, 512)];
            rnd.NextBytes(junk);
            if (rnd.Next(2) == 0) { junk[0] = Frame.Magic0; if (junk.Length > 1) junk[1] = Frame.Magic1; if (junk.Length > 2) junk[2] = Frame.Version; }
            send(raw, junk, junk.Length, 0);
            closesocket(raw);
        }
        SendText(root, "alive");
        Assert.Equal("alive", RecvText(leaf));
        SendText(leaf, "me too");
        Assert.Equal("me too", RecvText(root));
    }
}
