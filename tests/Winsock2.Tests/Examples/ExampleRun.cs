using Winsock2.Examples;

namespace Winsock2.Tests.Examples;

/// <summary>
/// Runs one program of examples/Winsock2.Examples in this process, on its own thread, with its output captured;
/// bounded in time (a stuck program fails the test; it never decides the outcome of one that finishes).
/// </summary>
public sealed class ExampleRun
{
    private ExampleRun(int exitCode, string output)
    {
        ExitCode = exitCode;
        Output = output;
        Lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    /// <summary>The program's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>Everything it printed.</summary>
    public string Output { get; }

    /// <summary>Its output, line by line.</summary>
    public string[] Lines { get; }

    /// <summary>Runs <paramref name="name"/> with <paramref name="args"/>; fails if it does not finish in time.</summary>
    public static ExampleRun Start(string name, params string[] args)
    {
        var writer = new StringWriter();
        var stdout = TextWriter.Synchronized(writer);
        int exit = -1;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { exit = Program.Run(name, args, stdout); }
            catch (Exception e) { error = e; }
        }) { IsBackground = true, Name = "example " + name };
        thread.Start();
        bool finished = thread.Join(120_000);
        string output;
        lock (stdout) output = writer.ToString();
        Assert.True(finished, $"{name} did not finish within 120 s; its output so far:\n{output}");
        Assert.True(error is null, $"{name} threw {error}\n{output}");
        return new ExampleRun(exit, output);
    }

    /// <summary>Asserts the program exited 0 (showing its output if not).</summary>
    public ExampleRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; output:\n{Output}");
        return this;
    }

    /// <summary>Asserts <paramref name="line"/> is one of the lines printed, exactly, <paramref name="times"/> times.</summary>
    public ExampleRun Printed(string line, int times = 1)
    {
        int seen = Lines.Count(l => l == line);
        Assert.True(seen == times, $"expected the line «{line}» {times} time(s), saw it {seen}; output:\n{Output}");
        return this;
    }
}
