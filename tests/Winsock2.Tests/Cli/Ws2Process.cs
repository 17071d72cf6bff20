using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Winsock2.Tests.Cli;

/// <summary>
/// The real `ws2` tool (src/Ws2's build output, copied beside the test assembly) run as a child process with
/// `dotnet ws2.dll`: stdout read line by line, stdin written, signals sent. Every wait is bounded; Dispose kills it.
/// </summary>
internal sealed partial class Ws2Process : IDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    public const int SIGINT = 2, SIGTERM = 15;

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly StringBuilder _stderr = new();

    private Ws2Process(Process process) => _process = process;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ws2.dll");

    public int Id => _process.Id;

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static Ws2Process Start(params string[] args) => Start(null, args);

    /// <summary>Starts ws2 with environment variables set (a null value removes one) on top of this process's.</summary>
    public static Ws2Process Start(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var p = new Ws2Process(process);
        Assert.True(process.Start(), "ws2 did not start");
        p._readers =
        [
            ChildLines.Start(process.StandardOutput, p._lines.Add, p._lines.CompleteAdding, "ws2 stdout"),
            ChildLines.Start(process.StandardError, line => { lock (p._stderr) p._stderr.AppendLine(line); }, static () => { }, "ws2 stderr"),
        ];
        return p;
    }

    private Thread[] _readers = [];

    /// <summary>Runs ws2 to its end with stdin closed: exit code, stdout lines, stderr.</summary>
    public static (int Exit, List<string> Lines, string Stderr) Run(params string[] args) => Run(null, args);

    /// <summary>Runs ws2 to its end with the given environment on top of this process's.</summary>
    public static (int Exit, List<string> Lines, string Stderr) Run(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var p = Start(environment, args);
        p.CloseStdin();
        int exit = p.WaitExit();
        return (exit, p._lines.ToList(), p.Stderr);
    }

    /// <summary>The next stdout line (bounded wait).</summary>
    public string NextLine()
    {
        Assert.True(_lines.TryTake(out var line, Wait), $"ws2 printed nothing more; stderr: {Stderr}");
        return line!;
    }

    /// <summary>The next line must be the JSON event <paramref name="name"/>; returns it.</summary>
    public JsonElement Expect(string name)
    {
        var line = NextLine();
        using var doc = JsonDocument.Parse(line);
        Assert.True(doc.RootElement.TryGetProperty("event", out var ev), $"no event field: {line}");
        Assert.True(ev.GetString() == name, $"expected {name}, got {line}");
        return doc.RootElement.Clone();
    }

    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    public void CloseStdin() => _process.StandardInput.Close();

    public void Signal(int signal) => Assert.Equal(0, kill(_process.Id, signal));

    /// <summary>Kills the process (SIGKILL, no graceful leave: its sockets close without LEAVE) and waits for it (bounded).</summary>
    public void Kill()
    {
        _process.Kill();
        Assert.True(_process.WaitForExit((int)Wait.TotalMilliseconds), "ws2 did not die after SIGKILL");
    }

    public int WaitExit()
    {
        Assert.True(_process.WaitForExit((int)Wait.TotalMilliseconds), $"ws2 did not exit; stderr: {Stderr}");
        foreach (var reader in _readers) Assert.True(reader.Join(Wait), "ws2's output did not end after it exited");
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
