namespace Winsock2.Providers.Rooted;

/// <summary>
/// A received message (or a piece of one the sender marked MSG_PARTIAL) as the inbox queues it: a range of a shared
/// payload chunk (no object per message), who sent it, and how much earlier MSG_PARTIAL receives took.
/// </summary>
internal struct InboxEntry(byte[] data, int start, int length, LeafHandle? source, Connection? origin, bool endOfMessage)
{
    /// <summary>The array holding the payload (a chunk shared with other messages, or the payload's own array).</summary>
    public readonly byte[] Data = data;
    /// <summary>Where the payload starts in <see cref="Data"/>.</summary>
    public readonly int Start = start;
    /// <summary>The payload's length.</summary>
    public readonly int Length = length;
    /// <summary>The leaf it came from (root side); null on a leaf (it came from the root).</summary>
    public readonly LeafHandle? Source = source;
    /// <summary>The connection it was read from: its <see cref="Connection.Unread"/> counts the message while it is queued.</summary>
    public readonly Connection? Origin = origin;
    public readonly bool EndOfMessage = endOfMessage;
    /// <summary>Bytes already delivered by earlier MSG_PARTIAL receives.</summary>
    public int Taken;

    public readonly int Remaining => Length - Taken;

    /// <summary>What the message counts against the receive buffer while queued.</summary>
    public readonly int Cost => Length + RootedLimits.MessageOverhead;
}
