using System.Buffers.Binary;

namespace Winsock2.Providers.Rooted.Wire;

/// <summary>
/// Incremental decoder for one connection's byte stream. Every length is checked against its type's bound
/// before anything is allocated, and a payload buffer grows with the bytes that actually arrived (at most twice
/// them, at least <see cref="InitialCapacity"/>, doubling, never past the announced length): a header announcing a
/// 1 MiB frame costs 4 KiB until the peer sends the bytes. In the join phase (<see cref="JoinPhase"/>) only the join
/// frames, LEAVE and heartbeats are accepted, so before a join completes no more than the join frame's bound
/// is ever allocated. A malformed stream (bad magic or version, unknown type, a type not allowed yet, oversized
/// frame) makes <see cref="Feed"/> return false and the decoder stays failed.
/// </summary>
internal sealed class FrameDecoder(int maxMessage)
{
    /// <summary>The first allocation for a payload (or the payload's length if smaller).</summary>
    public const int InitialCapacity = 4096;

    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private int _headerFill;
    private byte[]? _payload;
    private int _payloadLength, _payloadFill;
    private FrameType _type;
    private Pieces _pieces;

    /// <summary>How the payload of the frame being received is kept (see <see cref="DecodePieces{TState}"/>).</summary>
    private enum Pieces : byte
    {
        /// <summary>In the decoder's own array (<c>_payload</c>), handed on whole.</summary>
        None,
        /// <summary>Its first piece was reported; the caller has not yet said who keeps it (<see cref="ClaimPieces"/> or <see cref="BufferPieces"/>).</summary>
        Undecided,
        /// <summary>The caller takes each piece as it arrives; the decoder keeps nothing.</summary>
        Claimed,
    }

    public bool Failed { get; private set; }
    public string? Failure { get; private set; }

    /// <summary>
    /// True until the connection's join completes: only JOIN_REQUEST, JOIN_ACCEPT, JOIN_REJECT, LEAVE and
    /// heartbeats are accepted, and <see cref="Decode"/> returns after each frame so the owner can act on it
    /// (and end the join phase) before the next header is judged.
    /// </summary>
    public bool JoinPhase { get; set; }

    /// <summary>Bytes held for the frame being received (never more than its type's bound).</summary>
    public int BufferedCapacity => _payload?.Length ?? 0;

    /// <summary>True while a frame is partly received (end of stream now means truncation).</summary>
    public bool MidFrame => _headerFill > 0;

    /// <summary>Feeds bytes; calls <paramref name="onFrame"/> for each complete frame. False once the stream is malformed.</summary>
    public bool Feed(ReadOnlySpan<byte> data, Action<FrameType, byte[]> onFrame)
    {
        while (!data.IsEmpty)
        {
            int used = Decode(data, onFrame);
            if (used < 0) return false;
            data = data[used..];
        }
        return !Failed;
    }

    /// <summary>
    /// Decodes from <paramref name="data"/> and returns how many bytes it used, or -1 once the stream is malformed.
    /// In the join phase it stops after one complete frame; otherwise it uses everything.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> data, Action<FrameType, byte[]> onFrame) =>
        Decode(data, onFrame, static (f, type, payload) => f(type, payload));

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte}, Action{FrameType, byte[]})"/>, with a state for the handler (no closure per call).</summary>
    public int Decode<TState>(ReadOnlySpan<byte> data, TState state, Action<TState, FrameType, byte[]> onFrame) =>
        DecodeCore(data, (state, onFrame), static (s, type, _, _, owned) => s.onFrame(s.state, type, owned!), inPlace: false);

    /// <summary>
    /// As <see cref="Decode{TState}(ReadOnlySpan{byte}, TState, Action{TState, FrameType, byte[]})"/>, without copying a
    /// frame that lies whole in <paramref name="data"/>: the handler gets its payload as <c>offset</c> and <c>length</c>
    /// in <paramref name="data"/> (owned null), and only a frame that spanned reads as its own array (owned).
    /// </summary>
    public int DecodeInPlace<TState>(ReadOnlySpan<byte> data, TState state, FrameHandler<TState> onFrame) =>
        DecodeCore(data, state, onFrame, inPlace: true);

    /// <summary>
    /// As <see cref="DecodeInPlace{TState}"/>, and a DATA or DATA_MORE frame that does not lie whole in
    /// <paramref name="data"/> is offered in pieces: its first piece goes to <paramref name="onPiece"/> (first: true)
    /// and decoding stops there until the caller decides — <see cref="ClaimPieces"/> (every later piece of the frame
    /// goes to <paramref name="onPiece"/> as it arrives, the last with last: true, and the decoder keeps none of it) or
    /// <see cref="BufferPieces"/> (the decoder keeps the payload and reports the frame whole, as without pieces).
    /// </summary>
    public int DecodePieces<TState>(ReadOnlySpan<byte> data, TState state, FrameHandler<TState> onFrame, PieceHandler<TState> onPiece) =>
        DecodeCore(data, state, onFrame, inPlace: true, onPiece);

    /// <summary>The undecided frame's payload goes to the caller piece by piece (see <see cref="DecodePieces{TState}"/>).</summary>
    public void ClaimPieces()
    {
        if (_pieces == Pieces.Undecided) _pieces = Pieces.Claimed;
    }

    /// <summary>Payload bytes still to come of the frame whose pieces the caller claimed (0 when none is claimed).</summary>
    public int ClaimedRemaining => _pieces == Pieces.Claimed ? _payloadLength - _payloadFill : 0;

    /// <summary>
    /// The caller received <paramref name="n"/> (at most <see cref="ClaimedRemaining"/>) bytes of the claimed frame's
    /// payload itself, straight where it keeps them: true when that ended the frame.
    /// </summary>
    public bool AdvanceClaimed(int n)
    {
        if (_pieces != Pieces.Claimed || n < 0 || n > _payloadLength - _payloadFill) return Fail("bytes taken past the claimed frame");
        _payloadFill += n;
        if (_payloadFill < _payloadLength) return false;
        _pieces = Pieces.None;
        _headerFill = 0;
        return true;
    }

    /// <summary>
    /// The undecided frame's payload stays with the decoder: <paramref name="first"/> (the first piece reported) is
    /// copied in, and the frame is reported whole once complete.
    /// </summary>
    public void BufferPieces(ReadOnlySpan<byte> first)
    {
        if (_pieces != Pieces.Undecided) return;
        _pieces = Pieces.None;
        _payload = GC.AllocateUninitializedArray<byte>(Math.Min(_payloadLength, Math.Max(InitialCapacity, 2 * first.Length)));
        first.CopyTo(_payload);
    }

    private int DecodeCore<TState>(ReadOnlySpan<byte> data, TState state, FrameHandler<TState> onFrame, bool inPlace,
        PieceHandler<TState>? onPiece = null)
    {
        if (Failed) return -1;
        if (_pieces == Pieces.Undecided) return Reject("a frame's first piece was never claimed or buffered");
        int total = data.Length;
        while (!data.IsEmpty)
        {
            if (_pieces == Pieces.Claimed)
            {
                int piece = Math.Min(_payloadLength - _payloadFill, data.Length);
                int at = total - data.Length, length = _payloadLength;
                data = data[piece..];
                bool last = AdvanceClaimed(piece);
                onPiece!(state, _type, at, piece, length, first: false, last);
                if (Failed) return -1;
                continue;
            }
            if (_headerFill < Frame.HeaderSize)
            {
                ReadOnlySpan<byte> header;
                if (_headerFill == 0 && data.Length >= Frame.HeaderSize)
                {
                    header = data[..Frame.HeaderSize]; // a whole header in the read: judged where it lies, not copied
                    data = data[Frame.HeaderSize..];
                }
                else
                {
                    int take = Math.Min(Frame.HeaderSize - _headerFill, data.Length);
                    data[..take].CopyTo(_header.AsSpan(_headerFill));
                    _headerFill += take;
                    data = data[take..];
                    if (_headerFill < Frame.HeaderSize) break;
                    header = _header;
                }
                _headerFill = Frame.HeaderSize;
                if (!JudgeHeader(header, out int length)) return -1;
                _payloadLength = length;
                _payloadFill = 0;
                if (inPlace && data.Length >= length)
                {
                    // The whole payload is here: the handler reads it where it lies.
                    _headerFill = 0;
                    data = data[length..];
                    onFrame(state, _type, total - data.Length - length, length, null);
                    if (Failed) return -1;
                    if (JoinPhase) break;
                    continue;
                }
                if (onPiece is not null && _type is FrameType.Data or FrameType.DataMore)
                {
                    // Split across reads: the caller decides who keeps it (ClaimPieces / BufferPieces) before the next call.
                    _pieces = Pieces.Undecided;
                    _payloadFill = data.Length;
                    onPiece(state, _type, total - data.Length, data.Length, length, first: true, last: false);
                    return Failed ? -1 : total;
                }
                // Sized by the bytes already here (at most twice them, at least InitialCapacity): a frame that
                // mostly arrived with its header is allocated once, a bare header still costs InitialCapacity.
                _payload = length == 0 ? [] : GC.AllocateUninitializedArray<byte>(Math.Min(length, Math.Max(InitialCapacity, 2 * data.Length)));
            }
            int n = Math.Min(_payloadLength - _payloadFill, data.Length);
            if (_payloadFill + n > _payload!.Length) Grow(_payloadFill + n);
            data[..n].CopyTo(_payload.AsSpan(_payloadFill));
            _payloadFill += n;
            data = data[n..];
            if (_payloadFill < _payloadLength) break;
            var payload = _payload;
            _payload = null;
            _headerFill = 0;
            onFrame(state, _type, 0, payload.Length, payload);
            if (Failed) return -1;
            if (JoinPhase) break;
        }
        return total - data.Length;
    }

    /// <summary>
    /// Doubles the payload buffer until <paramref name="needed"/> fits (never past the announced length). Only the bytes
    /// received are copied; the rest is left unzeroed, as every byte handed on was written first.
    /// </summary>
    private void Grow(int needed)
    {
        int size = _payload!.Length;
        while (size < needed) size = (int)Math.Min((long)size * 2, _payloadLength);
        var larger = GC.AllocateUninitializedArray<byte>(size);
        _payload.AsSpan(0, _payloadFill).CopyTo(larger);
        _payload = larger;
    }

    /// <summary>Judges a whole header: its type (kept in <c>_type</c>) and payload length, or the stream fails.</summary>
    private bool JudgeHeader(ReadOnlySpan<byte> header, out int length)
    {
        length = 0;
        string? why = null;
        if (header[0] != Frame.Magic0 || header[1] != Frame.Magic1) why = "bad magic";
        else if (header[2] != Frame.Version) why = $"unsupported version {header[2]}";
        else
        {
            _type = (FrameType)header[3];
            length = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
            int max = Frame.MaxPayload(_type, maxMessage);
            if (max < 0) why = $"unknown frame type 0x{header[3]:X2}";
            else if (JoinPhase && !AllowedInJoinPhase(_type)) why = $"{_type} before the join completed";
            else if (length < 0 || length > max) why = $"frame of {length} bytes exceeds the {max}-byte bound for {_type}";
        }
        if (why is null) return true;
        Fail(why);
        return false;
    }

    private static bool AllowedInJoinPhase(FrameType type) =>
        type is FrameType.JoinRequest or FrameType.JoinAccept or FrameType.JoinReject or FrameType.Leave or FrameType.Heartbeat;

    private int Reject(string why)
    {
        Fail(why);
        return -1;
    }

    /// <summary>Marks the stream malformed (also used by frame handlers that reject a payload).</summary>
    public bool Fail(string why)
    {
        Failed = true;
        Failure = why;
        _payload = null;
        return false;
    }
}

/// <summary>
/// A decoded frame: its payload is <paramref name="length"/> bytes at <paramref name="offset"/> of the data passed to
/// <see cref="FrameDecoder.DecodeInPlace"/>, or, when <paramref name="owned"/> is not null, that whole array.
/// </summary>
internal delegate void FrameHandler<in TState>(TState state, FrameType type, int offset, int length, byte[]? owned);

/// <summary>
/// A piece of a DATA or DATA_MORE frame of <paramref name="total"/> payload bytes that spans reads: <paramref name="length"/>
/// bytes at <paramref name="offset"/> of the data passed to <see cref="FrameDecoder.DecodePieces"/>; the frame's first
/// piece, its last, or one between.
/// </summary>
internal delegate void PieceHandler<in TState>(TState state, FrameType type, int offset, int length, int total, bool first, bool last);
