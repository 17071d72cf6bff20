using Winsock2.Providers.Rooted;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// The root's shared stream: a range a write collected stays intact while the write is pinned, released chunks are
/// reused, and what is kept for reuse stays within its bound.
/// </summary>
public sealed class FanOutStreamTests
{
    /// <summary>Appends one frame of <paramref name="payload"/> bytes of <paramref name="value"/>.</summary>
    private static void Append(FanOutStream s, int payload, byte value)
    {
        var p = new byte[payload];
        p.AsSpan().Fill(value);
        s.Append(Winsock2.Providers.Rooted.Wire.FrameType.Data, p);
    }

    [Fact]
    public void Release_PinnedWriteInFlight_ItsRangeIsNotReusedUntilUnpinned()
    {
        var s = new FanOutStream();
        for (int i = 0; i < 3; i++) Append(s, 40_000, (byte)(i + 1)); // one frame per 64 KiB chunk
        var collected = new List<ArraySegment<byte>>();
        Assert.True(s.Collect(0, s.End, collected, 40_008, 64) > 0);
        var first = collected[0];
        s.Pin(0); // a write of the first frame is in flight
        s.Release(s.End); // every leaf wrote past it
        for (int i = 0; i < 6; i++) Append(s, 40_000, 0xEE);
        Assert.All(first.AsSpan(Winsock2.Providers.Rooted.Wire.Frame.HeaderSize).ToArray(), b => Assert.Equal(1, b));
        s.Unpin(0);
        s.Release(s.End); // the write returned: now its chunk goes, kept for reuse
        var reused = false;
        for (int i = 0; i < 8 && !reused; i++)
        {
            Append(s, 40_000, 0xDD);
            var seg = new List<ArraySegment<byte>>();
            s.Collect(s.End - 40_008, s.End, seg, 40_008, 64);
            reused = ReferenceEquals(seg[0].Array, first.Array);
        }
        Assert.True(reused, "the unpinned chunk was not reused");
    }

    [Fact]
    public void Release_ChunksReleased_ReusedAndTheSparesBounded()
    {
        var s = new FanOutStream();
        var arrays = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        var seg = new List<ArraySegment<byte>>();
        for (int i = 0; i < 40; i++)
        {
            Append(s, 40_000, (byte)i);
            seg.Clear();
            s.Collect(s.End - 40_008, s.End, seg, 40_008, 64);
            arrays.Add(seg[0].Array!);
        }
        long held = s.HeldBytes;
        s.Release(s.End); // 40 chunks behind every leaf: at most the bound is kept
        Assert.InRange(s.HeldBytes, 0, FanOutStream.MaxSpareBytes + RootedLimits.ChunkSize); // the spares and the chunk being filled
        Assert.True(s.HeldBytes < held);
        for (int i = 0; i < 4; i++)
        {
            Append(s, 40_000, 0x55);
            seg.Clear();
            s.Collect(s.End - 40_008, s.End, seg, 40_008, 64);
            Assert.Contains(seg[0].Array!, arrays); // a released chunk, not a new one
        }
    }
}
