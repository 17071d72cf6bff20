using Winsock2.Providers.Core;
using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>Builds a DATA (or DATA_MORE) frame from a send request's captured buffers.</summary>
internal static class DataFrame
{
    /// <summary>DATA_MORE when the sender marked the message partial (MSG_PARTIAL), else DATA.</summary>
    public static FrameType TypeOf(IoRequest r) => (r.Flags & Ws2Spi.MSG_PARTIAL) != 0 ? FrameType.DataMore : FrameType.Data;

    public static byte[] Make(IoRequest r)
    {
        int length = r.TotalLength;
        var frame = new byte[Frame.HeaderSize + length];
        Frame.WriteHeader(frame, TypeOf(r), length);
        CopyPayload(r, frame.AsSpan(Frame.HeaderSize));
        return frame;
    }

    /// <summary>Copies the request's buffers, in order, to <paramref name="into"/>.</summary>
    public static void CopyPayload(IoRequest r, Span<byte> into)
    {
        int o = 0;
        for (int i = 0; i < r.SegmentCount; i++)
        {
            var seg = r.Segment(i);
            if (seg.Count == 0) continue;
            seg.AsSpan().CopyTo(into[o..]);
            o += seg.Count;
        }
    }
}
