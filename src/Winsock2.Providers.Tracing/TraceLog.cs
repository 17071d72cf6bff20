using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Winsock2.Providers.Tracing;

/// <summary>
/// Where trace lines go: the file named by <c>WS2_TRACE_FILE</c> (appended, one line per write, flushed at once), or
/// standard error when the variable is unset or the file cannot be opened. Every instance of the layer in a process
/// that names the same file shares one writer and its lock, so lines never interleave; several processes may append to
/// the same file, because the file is opened with O_APPEND (each line is one write(2), which the kernel places at the
/// end). Writing never throws: a failed write is dropped, because tracing must never change what the caller sees.
/// </summary>
internal sealed class TraceLog : IDisposable
{
    /// <summary>The environment variable naming the trace file.</summary>
    public const string EnvironmentVariable = "WS2_TRACE_FILE";

    private static readonly Dictionary<string, Sink> Files = new(StringComparer.Ordinal);
    private static readonly Sink StdErr = new(null);
    private static readonly int Pid = Environment.ProcessId;

    private Sink? _sink;

    private TraceLog(Sink sink) => _sink = sink;

    /// <summary>What this log writes to: the full path of its file, or "stderr".</summary>
    public string Target => _sink?.Path ?? "stderr";

    /// <summary>A log for the file <c>WS2_TRACE_FILE</c> names now (read at each WSPStartup), else for stderr.</summary>
    public static TraceLog Open()
    {
        try
        {
            var path = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(path)) return new TraceLog(StdErr);
            var full = System.IO.Path.GetFullPath(path);
            lock (Files)
            {
                if (!Files.TryGetValue(full, out var sink))
                {
                    sink = new Sink(full);
                    if (!sink.IsOpen) return new TraceLog(StdErr);
                    Files[full] = sink;
                }
                sink.References++;
                return new TraceLog(sink);
            }
        }
        catch (Exception)
        {
            return new TraceLog(StdErr);
        }
    }

    /// <summary>Writes <c>ws2trace pid=P tid=T text</c> as one line.</summary>
    public void Write(string text)
    {
        try
        {
            var sink = Volatile.Read(ref _sink);
            if (sink is null) return;
            sink.Write($"ws2trace pid={Pid} tid={Environment.CurrentManagedThreadId} {text}\n");
        }
        catch (Exception)
        {
            // A trace line is never worth a failed call.
        }
    }

    /// <summary>Writes one call: its text and how long it took since <paramref name="start"/> (Stopwatch timestamp).</summary>
    public void Call(long start, string text)
    {
        long us = 0;
        try { us = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds; } catch (Exception) { }
        Write($"{text} [{us} µs]");
    }

    /// <summary>Releases this log's share of its file (the file closes with its last user).</summary>
    public void Dispose()
    {
        var sink = Interlocked.Exchange(ref _sink, null);
        if (sink?.Path is null) return;
        lock (Files)
        {
            if (--sink.References > 0) return;
            Files.Remove(sink.Path);
        }
        sink.Close();
    }

    /// <summary>One open file (or stderr) and its writer lock.</summary>
    private sealed class Sink
    {
        private readonly object _gate = new();
        private int _fd = -1;
        private FileStream? _stream;

        public Sink(string? path)
        {
            Path = path;
            if (path is null) return;
            try
            {
                if (OperatingSystem.IsLinux())
                {
                    _fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC, 0x1A4 /* 0644 */);
                    if (_fd >= 0) return;
                }
                // Elsewhere (or if open failed): FileMode.Append, shared. .NET seeks to the end once rather than using
                // O_APPEND, so lines of several processes could overwrite each other here; one process is still safe.
                _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            }
            catch (Exception)
            {
                _stream = null;
            }
        }

        public string? Path { get; }

        public int References;

        public bool IsOpen => _fd >= 0 || _stream is not null;

        public void Write(string line)
        {
            lock (_gate)
            {
                if (Path is null)
                {
                    Console.Error.Write(line);
                    Console.Error.Flush();
                    return;
                }
                var bytes = Encoding.UTF8.GetBytes(line);
                if (_fd >= 0) Libc.WriteAll(_fd, bytes);
                else if (_stream is { } s)
                {
                    s.Write(bytes);
                    s.Flush();
                }
            }
        }

        public void Close()
        {
            lock (_gate)
            {
                if (_fd >= 0) Libc.close(_fd);
                _fd = -1;
                _stream?.Dispose();
                _stream = null;
            }
        }
    }

    /// <summary>The three libc calls an appending writer needs (Linux flag values).</summary>
    private static class Libc
    {
        public const int O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern unsafe nint write(int fd, byte* buf, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);

        /// <summary>Writes all of <paramref name="bytes"/> (a line is one write unless the kernel takes less).</summary>
        public static unsafe void WriteAll(int fd, byte[] bytes)
        {
            fixed (byte* p = bytes)
            {
                int done = 0, tries = 0;
                while (done < bytes.Length && tries++ < 16)
                {
                    nint n = write(fd, p + done, bytes.Length - done);
                    if (n > 0) done += (int)n;
                    else if (n < 0 && Marshal.GetLastPInvokeError() != 4 /* EINTR */) return;
                }
            }
        }
    }
}
