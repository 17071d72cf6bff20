namespace Winsock2.Tests.Examples;

/// <summary>
/// The classic Winsock I/O model programs of examples/Winsock2.Examples, each run in this process on loopback with
/// the clients it starts: every byte each client sends comes back, in order, and the server counts them all.
/// </summary>
public class IoModelExampleTests
{
    [Fact]
    public void Example_SelectServer_EchoesEveryClient()
    {
        var run = ExampleRun.Start("select-server", "0", "4", "3");
        EchoServerExpectations.AssertEchoed(run, "select-server", clients: 4, messages: 3);
    }

    [Fact]
    public void Example_AsyncSelectServer_EchoesEveryClient()
    {
        var run = ExampleRun.Start("async-select-server", "0", "4", "3");
        EchoServerExpectations.AssertEchoed(run, "async-select-server", clients: 4, messages: 3);
    }

    [Fact]
    public void Example_EventSelectServer_EchoesEveryClient()
    {
        var run = ExampleRun.Start("event-select-server", "0", "4", "3");
        EchoServerExpectations.AssertEchoed(run, "event-select-server", clients: 4, messages: 3);
    }

    [Fact]
    public void Example_OverlappedEventServer_EchoesEveryClient()
    {
        var run = ExampleRun.Start("overlapped-event-server", "0", "4", "3");
        EchoServerExpectations.AssertEchoed(run, "overlapped-event-server", clients: 4, messages: 3);
    }

    [Fact]
    public void Example_CompletionRoutineServer_EchoesEveryClient()
    {
        var run = ExampleRun.Start("completion-routine-server", "0", "4", "3");
        EchoServerExpectations.AssertEchoed(run, "completion-routine-server", clients: 4, messages: 3);
    }

    [Fact]
    public void Example_IocpServer_EchoesEveryClient()
    {
        // 16 clients, 4 worker threads on one completion port, connections taken with AcceptEx.
        var run = ExampleRun.Start("iocp-server", "0", "16", "3", "4");
        EchoServerExpectations.AssertEchoed(run, "iocp-server", clients: 16, messages: 3);
        for (int n = 1; n <= 16; n++) run.Printed($"iocp-server: accepted connection {n} from 127.0.0.1");
    }

    [Fact]
    public void Example_SelectServer_PortInUse_ExitsWithWSAEADDRINUSE()
    {
        // A port some other socket listens on: the program's bind fails, it says with what, and exits 1.
        using var taken = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        taken.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((System.Net.IPEndPoint)taken.LocalEndPoint!).Port;
        var run = ExampleRun.Start("select-server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "1", "1");
        Assert.Equal(1, run.ExitCode);
        run.Printed($"select-server: bind/listen failed with error {Ws2_32.WSAEADDRINUSE}");
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("client", StringComparison.Ordinal)); // no client was started
    }

    [Fact]
    public void Example_UnknownName_ExitsTwo()
    {
        var run = ExampleRun.Start("no-such-server");
        Assert.Equal(2, run.ExitCode);
        run.Printed("no program named 'no-such-server'");
    }
}
