using System.Buffers.Binary;
using System.Net;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// Completes one posted RIO receive with (the next piece of) a message: the bytes that fit its slice; RIOReceiveEx's
/// flags slice gets MSG_PARTIAL when the message goes on in the next receive (or the sender marked the piece partial),
/// else 0; its remote-address slice gets the sending leaf's address (on a root) when it is large enough.
/// </summary>
internal static class RioReceiveFill
{
    /// <summary>Fills the oldest posted receive from <paramref name="piece"/>; returns the bytes taken.</summary>
    public static int Complete(RioRequestQueue rq, in RioRequest req, ReadOnlySpan<byte> piece, bool endOfMessage, IPEndPoint? from, int family)
    {
        int n = Math.Min(req.Length, piece.Length);
        if (n > 0) piece[..n].CopyTo(req.Data);
        if (req.FlagsSlice.Array is not null && req.FlagsSlice.Length >= sizeof(uint))
        {
            uint flags = n == piece.Length && endOfMessage ? 0u : (uint)Ws2Spi.MSG_PARTIAL;
            BinaryPrimitives.WriteUInt32LittleEndian(req.FlagsSlice.Span, flags);
        }
        if (from is not null && req.RemoteAddress.Array is not null && req.RemoteAddress.Length >= SockAddr.SizeOf(family))
            SockAddr.From(from).AsSpan().CopyTo(req.RemoteAddress.Span);
        rq.CompleteReceive(0, (uint)n);
        return n;
    }
}
