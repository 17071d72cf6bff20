using Microsoft.Extensions.Logging;

namespace Winsock2.Multipoint;

/// <summary>How a <see cref="MultipointLeaf"/> joins and runs. Every property documents its default.</summary>
public sealed class MultipointLeafOptions
{
    /// <summary>
    /// The leaf's connect data (at most MP_MAX_CONNECT_DATA = 4096 bytes): the caller data of
    /// <see cref="MultipointLeaf.JoinAsync"/>, or the callee data the leaf answers an invitation with. Default empty.
    /// </summary>
    public ReadOnlyMemory<byte> ConnectData { get; set; }

    /// <summary>Which directions the leaf uses. Default <see cref="MultipointDirection.Both"/>.</summary>
    public MultipointDirection Direction { get; set; } = MultipointDirection.Both;

    /// <summary>
    /// The flowspecs the leaf asks for when it joins (WSAJoinLeaf's lpSQOS); the root may lower them and the granted
    /// ones are enforced on the leaf's sends (<see cref="MultipointLeaf.Granted"/>). Default null: no QoS.
    /// </summary>
    public QOS? Qos { get; set; }

    /// <summary>How long a join may take before it fails with WSAETIMEDOUT (MP_JOIN_TIMEOUT). Default 10 seconds.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Heartbeat interval (MP_HEARTBEAT_INTERVAL); a root silent for three intervals ends the session with WSAENETRESET. Default 1 second.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many received messages wait for <see cref="MultipointLeaf.ReceiveAsync"/> before the leaf stops reading (backpressure; nothing is dropped). Default 256.</summary>
    public int ReceiveQueueCapacity { get; set; } = 256;

    /// <summary>Where the leaf logs its join and the end of its session. Default null: no logging.</summary>
    public ILogger? Logger { get; set; }
}
