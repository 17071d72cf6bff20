using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// The decoder's in-place mode: a frame that lies whole in the bytes given is reported where it lies (offset and
/// length, no array), a frame split across reads as its own array sized by the bytes that arrived.
/// </summary>
public class FrameDecoderInPlaceTests
{
    private static byte[] FrameOf(FrameType type, byte[] payload)
    {
        var f = new byte[Frame.HeaderSize + payload.Length];
        Frame.WriteHeader(f, type, payload.Length);
        payload.CopyTo(f, Frame.HeaderSize);
        return f;
    }


    [Fact]
    public void DecodeInPlace_WholeFrames_ReportedAtTheirOffsetsWithoutArrays()
    {
        var a = TestBytes.Pattern(64, 1);
        var b = Array.Empty<byte>();
        var c = TestBytes.Pattern(1000, 2);
        var stream = FrameOf(FrameType.Data, a).Concat(FrameOf(FrameType.DataMore, b)).Concat(FrameOf(FrameType.Data, c)).ToArray();
        var seen = new List<(FrameType Type, int Offset, int Length, byte[]? Owned)>();
        var decoder = new FrameDecoder(1 << 20);
        Assert.Equal(stream.Length, decoder.DecodeInPlace(stream, seen, static (list, t, o, l, owned) => list.Add((t, o, l, owned))));
        Assert.Equal(3, seen.Count);
        Assert.All(seen, f => Assert.Null(f.Owned));
        Assert.Equal((FrameType.Data, Frame.HeaderSize, 64), (seen[0].Type, seen[0].Offset, seen[0].Length));
        Assert.Equal((FrameType.DataMore, 2 * Frame.HeaderSize + 64, 0), (seen[1].Type, seen[1].Offset, seen[1].Length));
        Assert.Equal(c, stream.AsSpan(seen[2].Offset, seen[2].Length).ToArray());
        Assert.False(decoder.MidFrame);
    }

    [Fact]
    public void DecodeInPlace_EverySplitOfTheStream_SameFramesAsWhole()
    {
        // Headers that lie whole in a read are judged where they lie; a header cut by the read's end is kept and judged
        // once it is complete. Wherever the cut falls, the frames come out the same.
        var frames = new[] { (FrameType.Data, TestBytes.Pattern(5, 1)), (FrameType.DataMore, Array.Empty<byte>()), (FrameType.Data, TestBytes.Pattern(20, 2)) };
        var stream = frames.SelectMany(f => FrameOf(f.Item1, f.Item2)).ToArray();
        for (int cut = 0; cut <= stream.Length; cut++)
        {
            var decoder = new FrameDecoder(1 << 20);
            var seen = new List<(FrameType, byte[])>();
            foreach (var part in new[] { stream[..cut], stream[cut..] })
                Assert.Equal(part.Length, decoder.DecodeInPlace(part, (seen, part), static (s, t, o, l, owned) => s.seen.Add((t, owned ?? s.part.AsSpan(o, l).ToArray()))));
            Assert.Equal(frames.Select(f => f.Item1), seen.Select(f => f.Item1));
            Assert.All(seen.Zip(frames), p => Assert.Equal(p.Second.Item2, p.First.Item2));
            Assert.False(decoder.MidFrame, $"cut at {cut}");
        }
    }

    [Fact]
    public void DecodeInPlace_BadHeaderWholeOrCut_StreamFails()
    {
        var frame = FrameOf(FrameType.Data, TestBytes.Pattern(16, 4));
        frame[0] ^= 0xFF; // bad magic
        foreach (int cut in new[] { frame.Length, 3 })
        {
            var decoder = new FrameDecoder(1 << 20);
            int used = decoder.DecodeInPlace(frame.AsSpan(0, cut), 0, static (_, _, _, _, _) => Assert.Fail("no frame from a bad header"));
            if (cut < Frame.HeaderSize) used = decoder.DecodeInPlace(frame.AsSpan(cut), 0, static (_, _, _, _, _) => Assert.Fail("no frame from a bad header"));
            Assert.Equal(-1, used);
            Assert.True(decoder.Failed);
            Assert.Equal("bad magic", decoder.Failure);
        }
    }

    [Fact]
    public void DecodeInPlace_FrameSplitAcrossReads_OwnArraySizedByArrivedBytes()
    {
        var payload = TestBytes.Pattern(64 * 1024, 3);
        var frame = FrameOf(FrameType.Data, payload);
        var decoder = new FrameDecoder(1 << 20);
        var seen = new List<byte[]?>();
        int first = Frame.HeaderSize + 40_000; // most of the frame comes with its header
        decoder.DecodeInPlace(frame.AsSpan(0, first), seen, static (list, _, _, _, owned) => list.Add(owned));
        Assert.Empty(seen);
        Assert.True(decoder.MidFrame);
        Assert.True(decoder.BufferedCapacity <= 2 * 40_000, $"{decoder.BufferedCapacity} bytes held for 40,000 arrived");
        Assert.Equal(payload.Length, decoder.BufferedCapacity); // allocated once: at most twice what arrived covers it
        decoder.DecodeInPlace(frame.AsSpan(first), seen, static (list, _, _, _, owned) => list.Add(owned));
        Assert.Equal(payload, Assert.Single(seen));
        Assert.Equal(0, decoder.BufferedCapacity);
    }

    [Fact]
    public void DecodeInPlace_BareHeader_CostsInitialCapacityOnly()
    {
        var decoder = new FrameDecoder(1 << 20);
        var header = new byte[Frame.HeaderSize];
        Frame.WriteHeader(header, FrameType.Data, 1 << 20);
        decoder.DecodeInPlace(header, 0, static (_, _, _, _, _) => { });
        Assert.True(decoder.BufferedCapacity <= FrameDecoder.InitialCapacity);
    }
}
