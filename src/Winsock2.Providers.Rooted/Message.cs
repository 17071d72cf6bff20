namespace Winsock2.Providers.Rooted;

/// <summary>A received message (or a piece of one the sender marked MSG_PARTIAL), and who sent it.</summary>
internal sealed class Message(LeafHandle? source, byte[] data, bool endOfMessage)
{
    /// <summary>The leaf it came from (root side); null on a leaf (it came from the root).</summary>
    public LeafHandle? Source { get; } = source;
    public byte[] Data { get; } = data;
    public bool EndOfMessage { get; } = endOfMessage;
    /// <summary>Bytes already delivered by earlier MSG_PARTIAL receives.</summary>
    public int Offset;

    public int Remaining => Data.Length - Offset;

    /// <summary>The connection it was read from: its <see cref="Connection.Unread"/> counts the message while it is queued.</summary>
    public Connection? Origin { get; init; }

    /// <summary>What the message counts against the receive buffer while queued.</summary>
    public int Cost => Data.Length + RootedLimits.MessageOverhead;
}
