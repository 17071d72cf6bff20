using System.Buffers.Binary;

namespace Winsock2.Bench.Suites;

/// <summary>
/// Fan-out framing: [u32 payload length][u64 sequence][payload], little-endian. The payload's first byte is the
/// sequence's low byte and its last byte the next byte up, so a torn or shifted frame is caught cheaply.
/// </summary>
public static class FanOutFrame
{
    public const int Header = 12;

    public static int Length(int payload) => Header + payload;

    public static void Encode(Span<byte> frame, ulong sequence, int payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload);
        BinaryPrimitives.WriteUInt64LittleEndian(frame[4..], sequence);
        if (payload > 0)
        {
            frame[Header] = (byte)sequence;
            frame[Header + payload - 1] = (byte)(sequence >> 8);
        }
    }
}

/// <summary>
/// A leaf's check of the stream it receives, fed in chunks of any size: every frame must have the agreed length and
/// the next sequence number. A loss, duplicate or reorder is an error, and the run counts as failed — except that a
/// verifier made with <c>countGaps</c> (for a side documented to drop, NetMQ PUB/SUB at its high-water mark) counts
/// a forward gap as lost messages instead; a duplicate or reorder is still an error.
/// </summary>
public sealed class FrameVerifier(int payload, bool countGaps = false)
{
    private readonly int _frame = FanOutFrame.Length(payload);
    private readonly byte[] _partial = new byte[FanOutFrame.Length(payload)];
    private int _partialLength;

    public long Received { get; private set; }
    public long Lost { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The next sequence number expected: messages received plus messages known lost.</summary>
    public long Next => Received + Lost;

    /// <summary>The sender's count at the end of the stream: messages after the last one received were lost too.</summary>
    public void EndAt(long sent)
    {
        if (Error is not null) return;
        if (sent < Next) Error = $"the stream ended at {sent} messages after message {Next - 1}";
        else if (sent > Next && countGaps) Lost += sent - Next;
        else if (sent > Next) Error = $"the stream ended at {sent} messages, {sent - Next} of them never arrived";
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (Error is not null) return;
        if (_partialLength > 0)
        {
            int take = Math.Min(_frame - _partialLength, data.Length);
            data[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            data = data[take..];
            if (_partialLength < _frame) return;
            _partialLength = 0;
            if (!Check(_partial)) return;
        }
        while (data.Length >= _frame)
        {
            if (!Check(data[.._frame])) return;
            data = data[_frame..];
        }
        data.CopyTo(_partial);
        _partialLength = data.Length;
    }

    /// <summary>Called at the end of the stream: a partial frame left over is an error.</summary>
    public void End()
    {
        if (Error is null && _partialLength != 0) Error = $"stream ended inside a frame after {Received} messages";
    }

    private bool Check(ReadOnlySpan<byte> f)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(f);
        ulong seq = BinaryPrimitives.ReadUInt64LittleEndian(f[4..]);
        int p = _frame - FanOutFrame.Header;
        if (length != (uint)p) Error = $"frame length {length}, expected {p} (message {Next})";
        else if (seq < (ulong)Next || (seq > (ulong)Next && !countGaps)) Error = $"sequence {seq}, expected {Next}: lost, duplicated or reordered";
        else if (p > 0 && (f[FanOutFrame.Header] != (byte)seq || f[^1] != (byte)(seq >> 8))) Error = $"payload of message {seq} is corrupt";
        else
        {
            Lost += (long)seq - Next; // a gap (only with countGaps)
            Received++;
            return true;
        }
        return false;
    }
}
