using System.Diagnostics.Metrics;

namespace Winsock2.Multipoint;

/// <summary>
/// The System.Diagnostics.Metrics meter of the multipoint types, <see cref="MeterName"/> ("Winsock2.Multipoint"), and
/// its instruments: <c>winsock2.multipoint.leaves</c> (up-down counter: leaves joined to roots of this process now),
/// <c>winsock2.multipoint.joins</c> (joins admitted, tag <c>direction</c> = leaf-initiated or root-initiated),
/// <c>winsock2.multipoint.joins.refused</c> (joins a root refused), <c>winsock2.multipoint.messages</c> and
/// <c>winsock2.multipoint.bytes</c> (tags <c>role</c> = root or leaf, <c>direction</c> = sent or received).
/// </summary>
public static class MultipointTelemetry
{
    /// <summary>The meter's name: "Winsock2.Multipoint".</summary>
    public const string MeterName = "Winsock2.Multipoint";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly UpDownCounter<long> Leaves =
        Meter.CreateUpDownCounter<long>("winsock2.multipoint.leaves", "{leaf}", "Leaves joined to the roots of this process");
    internal static readonly Counter<long> Joins =
        Meter.CreateCounter<long>("winsock2.multipoint.joins", "{join}", "Joins admitted by roots");
    internal static readonly Counter<long> JoinsRefused =
        Meter.CreateCounter<long>("winsock2.multipoint.joins.refused", "{join}", "Joins refused by roots");
    internal static readonly Counter<long> Messages =
        Meter.CreateCounter<long>("winsock2.multipoint.messages", "{message}", "Messages sent and received");
    internal static readonly Counter<long> Bytes =
        Meter.CreateCounter<long>("winsock2.multipoint.bytes", "By", "Message bytes sent and received");

    /// <summary>Counts one message of <paramref name="length"/> bytes.</summary>
    internal static void Message(string role, string direction, int length)
    {
        var tags = new KeyValuePair<string, object?>[] { new("role", role), new("direction", direction) };
        Messages.Add(1, tags);
        Bytes.Add(length, tags);
    }
}
