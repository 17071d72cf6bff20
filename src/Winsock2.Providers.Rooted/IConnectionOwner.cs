using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>What a connection reports to the socket that owns it. Every call is made under <see cref="Gate"/> unless it says otherwise.</summary>
internal interface IConnectionOwner
{
    /// <summary>The session lock the owner and the connection share.</summary>
    Lock Gate { get; }

    /// <summary>The root's shared stream the connection writes from (null on a leaf).</summary>
    FanOutStream? Stream { get; }

    /// <summary>The outgoing TCP connect finished (0 or the error).</summary>
    void OnConnected(Connection c, int error);

    /// <summary>A frame arrived (not heartbeats or LEAVE, which the connection handles).</summary>
    void OnFrame(Connection c, FrameType type, byte[] payload);

    /// <summary>
    /// A DATA (or DATA_MORE, <paramref name="endOfMessage"/> false) frame arrived: its payload is valid during the call
    /// only, unless <paramref name="owned"/> (the payload's own array) is given, which the owner may keep.
    /// </summary>
    void OnData(Connection c, bool endOfMessage, ReadOnlySpan<byte> payload, byte[]? owned);

    /// <summary>
    /// A DATA (or DATA_MORE) frame of <paramref name="total"/> payload bytes spans reads; <paramref name="first"/> is its
    /// first piece (valid during the call only). True: the owner takes this piece and every later one
    /// (<see cref="OnDataPiece"/>) and keeps the message itself; false (the default): the connection keeps the payload
    /// and calls <see cref="OnData"/> once it is whole.
    /// </summary>
    bool OnDataStart(Connection c, bool endOfMessage, int total, ReadOnlySpan<byte> first) => false;

    /// <summary>The next piece of the frame <see cref="OnDataStart"/> took (valid during the call only); <paramref name="last"/> ends it.</summary>
    void OnDataPiece(Connection c, ReadOnlySpan<byte> piece, bool last) { }

    /// <summary>
    /// The reader's thread, without the lock, while the owner takes a frame piece by piece: where the next
    /// <paramref name="remaining"/> payload bytes may be read straight into (a slice of the owner's, guarded by
    /// <see cref="Winsock2.Providers.Core.RioRequestQueue.TryBeginReceiveFill"/>, which this returns begun), or false
    /// (the default) to read them as usual. <see cref="OnDirect"/> follows a true, under the lock.
    /// </summary>
    bool TryBeginDirect(Connection c, int remaining, out ArraySegment<byte> into)
    {
        into = default;
        return false;
    }

    /// <summary>
    /// Ends the read <see cref="TryBeginDirect"/> began (on the reader's thread, before taking the lock): the fill
    /// guard is released.
    /// </summary>
    void EndDirect(Connection c) { }

    /// <summary>Under the lock: <paramref name="n"/> payload bytes were read straight into the slice; <paramref name="last"/> ends the frame.</summary>
    void OnDirect(Connection c, int n, bool last) { }

    /// <summary>After the data frames of one read were handed over: readiness and events are re-derived once per read.</summary>
    void DataDelivered(Connection c);

    /// <summary>The connection ended: 0 after the peer's LEAVE, else WSAECONNRESET, WSAECONNABORTED, WSAENETRESET or WSAETIMEDOUT.</summary>
    void OnClosed(Connection c, int error);

    /// <summary>SO_RCVBUF: the unread bytes (<see cref="Connection.Unread"/>) a connection may have queued before reading it stops.</summary>
    int ReceiveLimit { get; }

    /// <summary>
    /// True while the connection may read more: its unread messages are under <see cref="ReceiveLimit"/> (or none
    /// are queued) and whatever it relays has room. False stops reading until <see cref="Connection.ResumeReading"/>.
    /// </summary>
    bool MayRead(Connection c);

    /// <summary>
    /// Without the lock (the reactor's or the reader's thread): true while the owner's application thread reads the
    /// connection itself and will look again unasked, so readiness is left to it (Connection.Deferred.cs). False (the
    /// default): the reactor and the thread pool read.
    /// </summary>
    bool MayDeferRead(Connection c) => false;

    /// <summary>The writer moved bytes: room may have come back (backpressure, FD_WRITE).</summary>
    void OnWritten(Connection c);
}
