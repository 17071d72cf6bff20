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
        CompleteInPlace(rq, req, n, n == piece.Length && endOfMessage, from, family);
        return n;
    }

    /// <summary>
    /// Completes the oldest posted receive with the <paramref name="n"/> bytes already written into its slice: the flags
    /// slice gets 0 when <paramref name="whole"/> (the message ends there), else MSG_PARTIAL; the address as above.
    /// </summary>
    public static void CompleteInPlace(RioRequestQueue rq, in RioRequest req, int n, bool whole, IPEndPoint? from, int family)
    {
        if (req.FlagsSlice.Array is not null && req.FlagsSlice.Length >= sizeof(uint))
            BinaryPrimitives.WriteUInt32LittleEndian(req.FlagsSlice.Span, whole ? 0u : (uint)Ws2Spi.MSG_PARTIAL);
        if (from is not null && req.RemoteAddress.Array is not null && req.RemoteAddress.Length >= SockAddr.SizeOf(family))
            SockAddr.From(from).AsSpan().CopyTo(req.RemoteAddress.Span);
        rq.CompleteReceive(0, (uint)n);
    }
}
