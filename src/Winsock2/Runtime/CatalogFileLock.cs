using System.Diagnostics;

namespace Winsock2.Runtime;

/// <summary>
/// The lock held across a catalog read-modify-write, between processes as between threads: <c>catalog.json.lock</c>
/// beside the catalog, opened with FileShare.None (an exclusive flock on Linux). A busy lock is retried with backoff
/// (1 ms doubling to 50 ms) for at most <see cref="Timeout"/>. The lock file stays; deleting it would let two writers
/// lock two different files.
/// </summary>
internal sealed class CatalogFileLock : IDisposable
{
    /// <summary>How long a writer waits for another before giving up (WSANO_RECOVERY).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly FileStream _file;

    private CatalogFileLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of the catalog at <paramref name="catalogPath"/>; null and a reason when it cannot.</summary>
    public static CatalogFileLock? Acquire(string catalogPath, out string? reason)
    {
        reason = null;
        var lockPath = catalogPath + ".lock";
        var clock = Stopwatch.StartNew();
        int delayMs = 1;
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
                return new CatalogFileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException e)
            {
                reason = $"cannot lock {lockPath} ({e.Message})";
                return null;
            }
            catch (IOException e)
            {
                if (clock.Elapsed >= Timeout)
                {
                    reason = $"cannot lock {lockPath} within {Timeout.TotalSeconds:0} s ({e.Message})";
                    return null;
                }
            }
            Thread.Sleep(delayMs);
            delayMs = Math.Min(delayMs * 2, 50);
        }
    }

    public void Dispose() => _file.Dispose();
}
