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
}
