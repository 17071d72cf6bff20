using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// A rooted session, leaf-initiated: the root (c_root | d_root on the rooted provider, SOCK_SEQPACKET) listens;
/// each leaf calls WSAJoinLeaf to the root's address with its caller data, and gets its own socket back, joined;
/// the root admits it with WSAAccept, whose condition function reads the caller data and answers callee data.
/// Arguments: [port (0 = ephemeral)] [leaves (2)].
/// </summary>
public static unsafe class RootedLeafJoin
{
    private const string Name = "rooted-leaf-join";

    /// <summary>Runs the root here and the leaves on threads; 0 if every message arrived.</summary>
    public static int Main(string[] args, TextWriter stdout)
    {
        int port = Args.Int(args, 0, 0), leaves = Args.Int(args, 1, 2);

        if (WSAStartup(MAKEWORD(2, 2), out _) != 0)
        {
            stdout.WriteLine($"WSAStartup failed with error {WSAGetLastError()}");
            return 1;
        }
        // Protocol 0 picks the rooted provider: the only SOCK_SEQPACKET entry with rooted control and data planes.
        SOCKET root = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, RootedSession.RootFlags);
        if (root == INVALID_SOCKET)
        {
            stdout.WriteLine($"WSASocket failed with error {WSAGetLastError()}");
            WSACleanup();
            return 1;
        }
        SOCKADDR_IN local = default;
        local.sin_family = AF_INET;
        local.sin_port = htons((ushort)port);
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(root, ref local, sizeof(SOCKADDR_IN)) == SOCKET_ERROR || listen(root, 16) == SOCKET_ERROR)
        {
            stdout.WriteLine($"bind/listen failed with error {WSAGetLastError()}");
            closesocket(root);
            WSACleanup();
            return 1;
        }
        SOCKADDR_IN rootAddr = default;
        int namelen = sizeof(SOCKADDR_IN);
        getsockname(root, ref rootAddr, ref namelen);
        stdout.WriteLine($"{Name}: root listening on {inet_ntoa(rootAddr.sin_addr)}:{ntohs(rootAddr.sin_port)}");

        var threads = new Thread[leaves];
        var results = new int[leaves];
        for (int i = 0; i < leaves; i++)
        {
            int id = i + 1;
            results[i] = 1;
            threads[i] = new Thread(() => results[id - 1] = Leaf(id, rootAddr, stdout)) { IsBackground = true };
            threads[i].Start();
        }

        int rc = 0;
        var members = new List<SOCKET>();
        for (int i = 0; i < leaves && rc == 0; i++)
        {
            // One WSAAccept per joining leaf; the handle it returns is the root's socket for that leaf.
            SOCKET member = WSAAccept(root, ConditionFunc, 0);
            if (member == INVALID_SOCKET)
            {
                stdout.WriteLine($"WSAAccept failed with error {WSAGetLastError()}");
                rc = 1;
            }
            else members.Add(member);
        }
        if (rc == 0) rc = RootedSession.Root(root, leaves, Name, stdout);

        foreach (var t in threads) t.Join(30_000);
        foreach (var m in members) closesocket(m);
        closesocket(root);
        stdout.WriteLine($"{Name}: {members.Count} leaves joined");
        WSACleanup();
        return rc == 0 && results.All(r => r == 0) ? 0 : 1;
    }

    /// <summary>The condition function: admit every leaf, greeting it by the name it sent as caller data.</summary>
    private static int ConditionFunc(WSABUF? lpCallerId, WSABUF? lpCallerData, QOS? lpSQOS, QOS? lpGQOS,
        WSABUF? lpCalleeId, WSABUF? lpCalleeData, out uint g, nuint dwCallbackData)
    {
        g = 0;
        string caller = RootedSession.Text(lpCallerData);
        if (!caller.StartsWith("leaf ", StringComparison.Ordinal)) return CF_REJECT;
        RootedSession.Answer(lpCalleeData, $"welcome, {caller}");
        return CF_ACCEPT;
    }

    private static int Leaf(int id, SOCKADDR_IN rootAddr, TextWriter stdout)
    {
        if (WSAStartup(MAKEWORD(2, 2), out _) != 0) return 1;
        int rc = 1;
        SOCKET leaf = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, RootedSession.LeafFlags);
        if (leaf == INVALID_SOCKET)
            stdout.WriteLine($"leaf {id}: WSASocket failed with error {WSAGetLastError()}");
        else
        {
            var callerData = new WSABUF(System.Text.Encoding.ASCII.GetBytes($"leaf {id}"));
            var calleeData = new WSABUF(new byte[64]);
            // Leaf-initiated: the result is the leaf's own socket, now joined.
            if (WSAJoinLeaf(leaf, ref rootAddr, sizeof(SOCKADDR_IN), callerData, calleeData, null, null, JL_BOTH) == INVALID_SOCKET)
                stdout.WriteLine($"leaf {id}: WSAJoinLeaf failed with error {WSAGetLastError()}");
            else
            {
                stdout.WriteLine($"{Name}: leaf {id} joined, the root answered \"{RootedSession.Text(calleeData)}\"");
                rc = RootedSession.Leaf(leaf, id, Name, stdout);
            }
            closesocket(leaf);                                     // a graceful leave
        }
        WSACleanup();
        return rc;
    }
}
