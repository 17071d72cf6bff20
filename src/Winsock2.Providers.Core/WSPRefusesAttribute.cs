namespace Winsock2.Providers.Core;

/// <summary>
/// Marks a WSP entry that only refuses on this provider (it validates the socket, then fails with
/// <see cref="ErrorCode"/>): the README's per-provider counts of entries implemented for real are taken from these
/// marks, and a test checks both the marks and the counts. Not inherited: an override that does the work is unmarked.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class WSPRefusesAttribute(int errorCode, string reason) : Attribute
{
    /// <summary>The error every call gets.</summary>
    public int ErrorCode { get; } = errorCode;

    /// <summary>Why the entry cannot do more here.</summary>
    public string Reason { get; } = reason;
}
