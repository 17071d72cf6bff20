namespace Winsock2.Tests;

/// <summary>
/// A child process's output read by threads of their own, never by the thread pool's asynchronous reads: the pool is
/// shared with the providers under test in this process, and a pool busy or short of threads would hold back lines the
/// child printed long before, so a bounded wait for one would fail although the child was on time.
/// </summary>
internal static class ChildLines
{
    /// <summary>
    /// Hands each line of <paramref name="stream"/> to <paramref name="line"/> on a background thread until the stream
    /// ends, then closes it and calls <paramref name="ended"/>. A read that fails other than by the pipe breaking is
    /// reported as a line, so the test that waits sees it.
    /// </summary>
    public static Thread Start(StreamReader stream, Action<string> line, Action ended, string name)
    {
        var thread = new Thread(() =>
        {
            try
            {
                while (stream.ReadLine() is { } l) line(l);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { } // the child is gone, or the reader was closed
            catch (Exception e)
            {
                line($"({name} could not be read: {e.GetType().Name}: {e.Message})");
            }
            finally
            {
                stream.Dispose();
                ended();
            }
        }) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    /// <summary>The next line of <paramref name="stream"/>, read by a thread of its own: false when none came in time.</summary>
    public static bool TryReadLine(StreamReader stream, TimeSpan wait, out string? line)
    {
        string? read = null;
        Exception? failed = null;
        var thread = new Thread(() =>
        {
            try { read = stream.ReadLine(); }
            catch (Exception e) { failed = e; }
        }) { IsBackground = true, Name = "child line" };
        thread.Start();
        bool done = thread.Join(wait);
        line = failed is null ? read : $"(could not be read: {failed.GetType().Name}: {failed.Message})";
        return done;
    }
}
