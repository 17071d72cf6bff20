using System.Net;
using Microsoft.Extensions.Logging;

namespace Winsock2.Multipoint.Engine;

/// <summary>The log messages of the multipoint types (source-generated; free when no logger is given).</summary>
internal static partial class MultipointLog
{
    [LoggerMessage(1, LogLevel.Error, "Multipoint loop {Loop}: unexpected failure")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Root listening on {Address}")]
    public static partial void Listening(ILogger logger, IPEndPoint address);

    [LoggerMessage(3, LogLevel.Information, "Leaf {Leaf} joined (leaf #{Id}, invited: {Invited})")]
    public static partial void LeafJoined(ILogger logger, IPEndPoint leaf, int id, bool invited);

    [LoggerMessage(4, LogLevel.Information, "Leaf {Leaf} left ({Error})")]
    public static partial void LeafLeft(ILogger logger, IPEndPoint leaf, string error);

    [LoggerMessage(5, LogLevel.Information, "Join from {Leaf} refused ({Error})")]
    public static partial void JoinRefused(ILogger logger, IPEndPoint? leaf, string error);

    [LoggerMessage(6, LogLevel.Warning, "Admission callback failed for {Leaf}; the join is refused")]
    public static partial void AdmissionFailed(ILogger logger, IPEndPoint? leaf, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Joined root {Root}")]
    public static partial void Joined(ILogger logger, IPEndPoint root);

    [LoggerMessage(8, LogLevel.Information, "Session with {Peer} closed ({Error})")]
    public static partial void Closed(ILogger logger, IPEndPoint? peer, string error);

    [LoggerMessage(9, LogLevel.Warning, "{Call} failed ({Error})")]
    public static partial void CallFailed(ILogger logger, string call, string error);
}
