namespace Winsock2.Providers.Rooted;

/// <summary>
/// Where the inbox keeps received payloads: copied one after another into shared chunks of
/// <see cref="RootedLimits.ChunkSize"/> bytes (a payload of more than a quarter chunk gets an array of its own), so
/// a message costs a copy and no allocation. A chunk is dropped by the collector once no queued message refers to
/// it; the bytes held beyond the counted unread messages are at most one partly filled chunk. Used by the reader
/// under the session lock only.
/// </summary>
internal sealed class InboxStore
{
    private byte[]? _chunk;
    private int _fill;

    /// <summary>Copies the payload in and describes it as a queue entry.</summary>
    public InboxEntry Copy(ReadOnlySpan<byte> payload, LeafHandle? source, Connection? origin, bool endOfMessage)
    {
        int n = payload.Length;
        if (n > RootedLimits.ChunkSize / 4) return new InboxEntry(payload.ToArray(), 0, n, source, origin, endOfMessage);
        if (_chunk is null || _fill + n > _chunk.Length)
        {
            _chunk = GC.AllocateUninitializedArray<byte>(RootedLimits.ChunkSize); // only copied-in bytes are ever read
            _fill = 0;
        }
        payload.CopyTo(_chunk.AsSpan(_fill));
        var e = new InboxEntry(_chunk, _fill, n, source, origin, endOfMessage);
        _fill += n;
        return e;
    }
}
