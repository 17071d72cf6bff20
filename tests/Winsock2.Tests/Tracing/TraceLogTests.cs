using System.Text;
using Winsock2.Providers.Tracing;
using static Winsock2.Ws2Spi;

namespace Winsock2.Tests.Tracing;

/// <summary>The trace writer and the error-name table, without a provider around them.</summary>
public sealed class TraceLogTests : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable(TraceLog.EnvironmentVariable);
    private readonly string _dir = Directory.CreateTempSubdirectory("ws2trace-").FullName;

    [Fact]
    public void TraceLog_TwoWritersOneFile_EveryLineKept()
    {
        // Two opens of one file under two names (a symlink) are two independent appenders, as two processes would be.
        var file = Path.Combine(_dir, "trace.log");
        var link = Path.Combine(_dir, "link.log");
        File.WriteAllText(file, "");
        File.CreateSymbolicLink(link, file);
        Environment.SetEnvironmentVariable(TraceLog.EnvironmentVariable, file);
        using var a = TraceLog.Open();
        Environment.SetEnvironmentVariable(TraceLog.EnvironmentVariable, link);
        using var b = TraceLog.Open();
        Assert.NotEqual(a.Target, b.Target);
        var ta = new Thread(() => { for (int i = 0; i < 200; i++) a.Write($"A{i}"); });
        var tb = new Thread(() => { for (int i = 0; i < 200; i++) b.Write($"B{i}"); });
        ta.Start(); tb.Start(); ta.Join(); tb.Join();

        var lines = File.ReadAllText(file, Encoding.UTF8).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(400, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^ws2trace pid=\d+ tid=\d+ [AB]\d+$", l));
        for (int i = 0; i < 200; i++)
        {
            Assert.Contains(lines, l => l.EndsWith($" A{i}", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.EndsWith($" B{i}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void TraceLog_FileCannotBeOpened_FallsBackToStderrWithoutThrowing()
    {
        Environment.SetEnvironmentVariable(TraceLog.EnvironmentVariable, _dir); // a directory is not a file
        using var log = TraceLog.Open();
        Assert.Equal("stderr", log.Target);
        log.Call(System.Diagnostics.Stopwatch.GetTimestamp(), "WSPBind(s=0x104) = 0");
        log.Dispose();
        log.Write("after dispose: dropped, not thrown");
    }

    [Fact]
    public void TraceLog_Unset_WritesToStderr()
    {
        Environment.SetEnvironmentVariable(TraceLog.EnvironmentVariable, null);
        using var log = TraceLog.Open();
        Assert.Equal("stderr", log.Target);
    }

    [Fact]
    public void ErrorNames_Format_NameAndNumber()
    {
        Assert.Equal("WSAEWOULDBLOCK(10035)", ErrorNames.Format(WSAEWOULDBLOCK));
        Assert.Equal("WSA_IO_PENDING(997)", ErrorNames.Format(WSA_IO_PENDING));
        Assert.Equal("WSAECONNREFUSED(10061)", ErrorNames.Format(WSAECONNREFUSED));
        Assert.Equal("error(12345)", ErrorNames.Format(12345));
    }

    [Fact]
    public void TraceFormat_Arguments_Decoded()
    {
        Assert.Equal("127.0.0.1:80", TraceFormat.Addr(SockAddr.From("127.0.0.1", 80), 16));
        Assert.Equal("[::1]:443", TraceFormat.Addr(SockAddr.From("::1", 443), 28));
        Assert.Equal("af=2 len=3", TraceFormat.Addr(SockAddr.From("127.0.0.1", 80), 3));
        Assert.Equal("null", TraceFormat.Addr(null, 16));
        Assert.Equal("MSG_OOB|MSG_PEEK|0x100", TraceFormat.Msg(MSG_OOB | MSG_PEEK | 0x100));
        Assert.Equal("FD_READ|FD_CLOSE", TraceFormat.Events(FD_READ | FD_CLOSE));
        Assert.Equal("FIONBIO", TraceFormat.Ioctl(FIONBIO));
        Assert.Equal("0x12345678", TraceFormat.Ioctl(0x12345678));
        Assert.Equal("2[5,7]", TraceFormat.Bufs([new WSABUF(new byte[5]), new WSABUF(new byte[7])], 2));
        Assert.Equal("3[null]", TraceFormat.Bufs(null, 3));
        // A length past the array is shown, never thrown.
        Assert.Equal(" data=0102…", TraceFormat.Data([new WSABUF { buf = [1, 2], len = 99 }], 5, 99));
        var big = new byte[64];
        Assert.Equal(" data=" + new string('0', 32) + "…", TraceFormat.Data([new WSABUF(big)], 1, 64));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(TraceLog.EnvironmentVariable, _previous);
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
