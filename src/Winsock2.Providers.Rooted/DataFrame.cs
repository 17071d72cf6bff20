using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>Builds a DATA (or DATA_MORE) frame from a WSABUF array.</summary>
internal static class DataFrame
{
    public static byte[] Make(FrameType type, WSABUF[] buffers, uint count, int length)
    {
        var frame = new byte[Frame.HeaderSize + length];
        Frame.WriteHeader(frame, type, length);
        int o = Frame.HeaderSize;
        for (int i = 0; i < count; i++)
        {
            int n = (int)buffers[i].len;
            if (n == 0) continue;
            buffers[i].AsSpan().CopyTo(frame.AsSpan(o));
            o += n;
        }
        return frame;
    }
}
