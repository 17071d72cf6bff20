using System.Buffers.Binary;

namespace Winsock2.Providers.Rooted.Wire;

/// <summary>
/// Incremental decoder for one connection's byte stream. Every length is checked against its type's bound
/// before a payload buffer is allocated, so memory per connection never exceeds the largest allowed frame.
/// A malformed stream (bad magic or version, unknown type, oversized frame) makes <see cref="Feed"/> return
/// false and the decoder stays failed.
/// </summary>
internal sealed class FrameDecoder(int maxMessage)
{
    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private int _headerFill;
    private byte[]? _payload;
    private int _payloadFill;
    private FrameType _type;

    public bool Failed { get; private set; }
    public string? Failure { get; private set; }

    /// <summary>Bytes held for the frame being received (never more than its type's bound).</summary>
    public int BufferedCapacity => _payload?.Length ?? 0;

    /// <summary>True while a frame is partly received (end of stream now means truncation).</summary>
    public bool MidFrame => _headerFill > 0;

    /// <summary>Feeds bytes; calls <paramref name="onFrame"/> for each complete frame. False once the stream is malformed.</summary>
    public bool Feed(ReadOnlySpan<byte> data, Action<FrameType, byte[]> onFrame)
    {
        if (Failed) return false;
        while (!data.IsEmpty)
        {
            if (_headerFill < Frame.HeaderSize)
            {
                int take = Math.Min(Frame.HeaderSize - _headerFill, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += take;
                data = data[take..];
                if (_headerFill < Frame.HeaderSize) break;
                if (_header[0] != Frame.Magic0 || _header[1] != Frame.Magic1) return Fail("bad magic");
                if (_header[2] != Frame.Version) return Fail($"unsupported version {_header[2]}");
                _type = (FrameType)_header[3];
                int length = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(4));
                int max = Frame.MaxPayload(_type, maxMessage);
                if (max < 0) return Fail($"unknown frame type 0x{_header[3]:X2}");
                if (length < 0 || length > max) return Fail($"frame of {length} bytes exceeds the {max}-byte bound for {_type}");
                _payload = length == 0 ? [] : new byte[length];
                _payloadFill = 0;
            }
            int need = _payload!.Length - _payloadFill;
            int n = Math.Min(need, data.Length);
            data[..n].CopyTo(_payload.AsSpan(_payloadFill));
            _payloadFill += n;
            data = data[n..];
            if (_payloadFill < _payload.Length) break;
            var payload = _payload;
            _payload = null;
            _headerFill = 0;
            onFrame(_type, payload);
            if (Failed) return false;
        }
        return true;
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
