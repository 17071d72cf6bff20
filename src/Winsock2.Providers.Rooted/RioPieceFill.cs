using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// A message that spans reads, written piece by piece straight into the posted RIO receive it completes (no copy of
/// its own in between): taken only when nothing waits in the inbox and the oldest posted receive holds the whole
/// message. Used under the session lock, by the connection's one reader. If that receive completes otherwise
/// meanwhile — closesocket aborts it, the session's end fails it — the rest of the message is dropped with it.
/// </summary>
internal sealed class RioPieceFill
{
    private RioRequest _request;
    private long _sequence;
    private int _filled, _total;
    private bool _endOfMessage, _active;

    /// <summary>The first piece of a message of <paramref name="total"/> bytes: true when the oldest posted receive takes it whole.</summary>
    public bool Start(RioRequestQueue rq, bool endOfMessage, int total, ReadOnlySpan<byte> first)
    {
        if (rq.IsClosed || !rq.TryPeekReceive(out var req) || req.Length < total) return false;
        first.CopyTo(req.Data);
        (_request, _sequence, _filled, _total, _endOfMessage, _active) = (req, rq.ReceivesCompleted, first.Length, total, endOfMessage, true);
        return true;
    }

    /// <summary>The next piece: copied on; the last completes the receive (staged, published with the read's others).</summary>
    public void Piece(RioRequestQueue? rq, ReadOnlySpan<byte> piece, bool last, int family)
    {
        if (_active && Live(rq)) piece.CopyTo(_request.Data[_filled..]);
        Direct(rq, piece.Length, last, family);
    }

    /// <summary>
    /// The reader's own thread, without the lock: where the rest of the message may be read straight into its receive
    /// (the caller brackets that read with <see cref="RioRequestQueue.TryBeginReceiveFill"/>), and the sequence number
    /// to bracket it with. False when no fill is under way.
    /// </summary>
    public bool TryDirect(out ArraySegment<byte> rest, out long sequence)
    {
        sequence = _sequence;
        if (!_active || _request.Array is not { } array)
        {
            rest = default;
            return false;
        }
        rest = new ArraySegment<byte>(array, _request.Offset + _filled, _total - _filled);
        return true;
    }

    /// <summary>
    /// Under the lock: <paramref name="n"/> bytes were read straight into the receive (<see cref="TryDirect"/>);
    /// <paramref name="last"/> completes it, as <see cref="Piece"/> does.
    /// </summary>
    public void Direct(RioRequestQueue? rq, int n, bool last, int family)
    {
        if (!_active) return;
        if (!Live(rq))
        {
            End();
            return;
        }
        _filled += n;
        if (!last) return;
        RioReceiveFill.CompleteInPlace(rq!, _request, _filled, _endOfMessage, null, family);
        End();
    }

    /// <summary>The receive being filled is still the oldest posted one of an open queue (nothing else completed it).</summary>
    private bool Live(RioRequestQueue? rq) => rq is { IsClosed: false } && rq.ReceivesCompleted == _sequence;

    private void End()
    {
        _active = false;
        _request = default; // the application's array is not kept alive by a finished fill
    }
}
