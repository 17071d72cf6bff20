using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Winsock2.Tests.Multicast;

/// <summary>
/// Runs a test body on a thread of its own inside a new network namespace (unshare(CLONE_NEWNET) affects only the
/// calling thread; sockets keep the namespace they were made in). Linux cannot route IPv6 multicast over the
/// loopback device (no multicast neighbour on lo: the send is dropped), so IPv6 tests use a veth pair that exists
/// only inside that namespace: ws2mc0 (fd99::1/64 and fd99::2/64) and its peer ws2mc1. Nothing touches the host's interfaces,
/// and the namespace vanishes with the thread and its sockets.
/// </summary>
internal static partial class PrivateNetwork
{
    private const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", SetLastError = true)] private static partial int unshare(int flags);
    [LibraryImport("libc")] private static partial int gettid();
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial uint if_nametoindex(string name);

    /// <summary>
    /// Runs <paramref name="body"/> (given the index of ws2mc0) in a private namespace. Returns null when it ran, or
    /// why it could not be set up (the caller reports the skip); the body's exceptions are rethrown.
    /// </summary>
    public static string? Run(Action<int> body)
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
            // nsenter names this thread's namespace explicitly, so the commands cannot reach the host's.
            string ns = $"/proc/{Environment.ProcessId}/task/{gettid()}/ns/net";
            string[][] setup =
            [
                ["ip", "link", "set", "lo", "up"],
                ["ip", "link", "add", "ws2mc0", "type", "veth", "peer", "name", "ws2mc1"],
                ["ip", "link", "set", "ws2mc0", "up"],
                ["ip", "link", "set", "ws2mc1", "up"],
                ["ip", "-6", "addr", "add", "fd99::1/64", "dev", "ws2mc0", "nodad"],
                ["ip", "-6", "addr", "add", "fd99::2/64", "dev", "ws2mc0", "nodad"],
            ];
            foreach (var cmd in setup)
            {
                if (!Exec(ns, cmd, out var why)) { skip = why; return; }
            }
            int index = (int)if_nametoindex("ws2mc0");
            if (index == 0) { skip = "ws2mc0 not visible in the private namespace"; return; }
            try { body(index); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        });
        t.Start();
        t.Join();
        failure?.Throw();
        return skip;
    }

    private static bool Exec(string ns, string[] cmd, out string why)
    {
        why = "";
        var psi = new ProcessStartInfo("nsenter") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("--net=" + ns);
        psi.ArgumentList.Add("--");
        foreach (var a in cmd) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(10_000)) { p.Kill(); why = $"{string.Join(' ', cmd)} timed out"; return false; }
            if (p.ExitCode == 0) return true;
            why = $"{string.Join(' ', cmd)} failed: {err.Trim()}";
            return false;
        }
        catch (Exception e)
        {
            why = $"cannot run nsenter/ip: {e.Message}";
            return false;
        }
    }
}
