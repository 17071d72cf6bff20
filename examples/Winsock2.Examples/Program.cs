namespace Winsock2.Examples;

/// <summary>
/// One process, many small programs: the first argument names the program, the rest are its own arguments.
/// <c>dotnet run --project examples/Winsock2.Examples -- select-server</c>.
/// </summary>
public static class Program
{
    /// <summary>A program's entry: its arguments (without the name) and where it prints; returns its exit code.</summary>
    public delegate int Entry(string[] args, TextWriter stdout);

    /// <summary>Every program: its name on the command line, one line saying what it shows, and its entry.</summary>
    public static readonly IReadOnlyList<(string Name, string Summary, Entry Main)> Programs =
    [
        ("select-server", "select(): one thread, fd_sets, nonblocking echo", SelectServer.Main),
        ("async-select-server", "WSAAsyncSelect: network events as window messages, a message loop", AsyncSelectServer.Main),
        ("event-select-server", "WSAEventSelect: an event per socket, WSAWaitForMultipleEvents, WSAEnumNetworkEvents", EventSelectServer.Main),
        ("overlapped-event-server", "overlapped WSARecv/WSASend signalling events, WSAGetOverlappedResult", OverlappedEventServer.Main),
        ("completion-routine-server", "overlapped WSARecv/WSASend with completion routines, alertable waits", CompletionRoutineServer.Main),
        ("iocp-server", "I/O completion port: AcceptEx, worker threads on GetQueuedCompletionStatus", IocpServer.Main),
        ("multicast", "IP multicast: receivers and a sender join a group with WSAJoinLeaf on UDP", MulticastGroup.Main),
        ("rooted-leaf-join", "rooted multipoint, leaf-initiated: leaves WSAJoinLeaf to the root, WSAAccept admits them", RootedLeafJoin.Main),
        ("rooted-root-invite", "rooted multipoint, root-initiated: the root WSAJoinLeafs to listening leaves", RootedRootInvite.Main),
    ];

    /// <summary>Runs the program named <paramref name="name"/>; 2 if there is none.</summary>
    public static int Run(string name, string[] args, TextWriter stdout)
    {
        foreach (var (n, _, main) in Programs)
            if (n == name) return main(args, stdout);
        stdout.WriteLine($"no program named '{name}'");
        return 2;
    }

    /// <summary>The command line: a program name and its arguments; no name lists the programs.</summary>
    public static int Main(string[] argv)
    {
        if (argv.Length == 0)
        {
            Console.WriteLine("usage: Winsock2.Examples <program> [args]");
            foreach (var (n, summary, _) in Programs) Console.WriteLine($"  {n,-28} {summary}");
            return 2;
        }
        return Run(argv[0], argv[1..], Console.Out);
    }
}
