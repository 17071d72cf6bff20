using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// Runs a body on a thread inside a new, empty network namespace (unshare(CLONE_NEWNET) affects only that thread):
/// no interfaces up and no routes, so any connect fails locally and nothing ever leaves the machine.
/// </summary>
internal static partial class EmptyNetwork
{
    private const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", SetLastError = true)] private static partial int unshare(int flags);

    /// <summary>Null when the body ran; otherwise why the namespace could not be made (the caller reports the skip).</summary>
    public static string? Run(Action body)
    {
        string? skip = null;
        ExceptionDispatchInfo? failure = null;
        var t = new Thread(() =>
        {
            if (unshare(CLONE_NEWNET) != 0)
            {
                skip = $"unshare(CLONE_NEWNET) failed (errno {Marshal.GetLastPInvokeError()}; needs CAP_SYS_ADMIN)";
                return;
            }
            try { body(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        });
        t.Start();
        t.Join();
        failure?.Throw();
        return skip;
    }
}
