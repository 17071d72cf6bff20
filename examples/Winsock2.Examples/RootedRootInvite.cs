using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// A rooted session, root-initiated: each leaf (c_leaf | d_leaf) listens; the root calls WSAJoinLeaf to the
/// leaf's address with an invitation as caller data and gets a new socket for that leaf; the leaf takes the
/// invitation with WSAAccept, whose condition function reads it and answers. The root's c_root socket then
/// sends to every leaf it invited.
/// Arguments: [leaves (2)].
/// </summary>
public static unsafe class RootedRootInvite
{
    private const string Name = "rooted-root-invite";

    /// <summary>Runs the root here and the leaves on threads; 0 if every message arrived.</summary>
    public static int Main(string[] args, TextWriter stdout)
    {
        int leaves = Args.Int(args, 0, 2);

        if (WSAStartup(MAKEWORD(2, 2), out _) != 0)
        {
            stdout.WriteLine($"WSAStartup failed with error {WSAGetLastError()}");
            return 1;
        }
        SOCKET root = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, RootedSession.RootFlags);
        if (root == INVALID_SOCKET)
        {
            stdout.WriteLine($"WSASocket failed with error {WSAGetLastError()}");
            WSACleanup();
            return 1;
        }

        // Each leaf listens on its own port and says where (an event per leaf signals that its address is set).
        var listening = new WSAEVENT[leaves];
        var leafAddrs = new SOCKADDR_IN[leaves];
        var threads = new Thread[leaves];
        var results = new int[leaves];
        for (int i = 0; i < leaves; i++)
        {
            int id = i + 1;
            listening[i] = WSACreateEvent();
            results[i] = 1;
            threads[i] = new Thread(() => results[id - 1] = Leaf(id, ref leafAddrs[id - 1], listening[id - 1], stdout)) { IsBackground = true };
            threads[i].Start();
        }

        int rc = 0;
        var invited = new List<SOCKET>();
        if (WSAWaitForMultipleEvents((uint)leaves, listening, true, 10_000, false) != WSA_WAIT_EVENT_0)
        {
            stdout.WriteLine("the leaves did not listen within 10 s");
            rc = 1;
        }
        for (int i = 0; i < leaves && rc == 0; i++)
        {
            var invitation = new WSABUF(System.Text.Encoding.ASCII.GetBytes("join the session"));
            var answer = new WSABUF(new byte[64]);
            // Root-initiated: the result is a new socket, the root's own for this leaf.
            SOCKET s = WSAJoinLeaf(root, ref leafAddrs[i], sizeof(SOCKADDR_IN), invitation, answer, null, null, JL_BOTH);
            if (s == INVALID_SOCKET)
            {
                stdout.WriteLine($"WSAJoinLeaf failed with error {WSAGetLastError()}");
                rc = 1;
                break;
            }
            invited.Add(s);
            stdout.WriteLine($"{Name}: root invited a leaf, which answered \"{RootedSession.Text(answer)}\"");
        }
        if (rc == 0) rc = RootedSession.Root(root, leaves, Name, stdout);

        foreach (var t in threads) t.Join(30_000);
        foreach (var s in invited) closesocket(s);
        foreach (var e in listening) WSACloseEvent(e);
        closesocket(root);
        stdout.WriteLine($"{Name}: {invited.Count} leaves joined");
        WSACleanup();
        return rc == 0 && results.All(r => r == 0) ? 0 : 1;
    }

    private static int Leaf(int id, ref SOCKADDR_IN leafAddr, WSAEVENT listening, TextWriter stdout)
    {
        if (WSAStartup(MAKEWORD(2, 2), out _) != 0) return 1;
        int rc = 1;
        SOCKET leaf = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, RootedSession.LeafFlags);
        SOCKADDR_IN local = default;
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int namelen = sizeof(SOCKADDR_IN);
        if (leaf == INVALID_SOCKET || bind(leaf, ref local, sizeof(SOCKADDR_IN)) == SOCKET_ERROR || listen(leaf, 1) == SOCKET_ERROR
            || getsockname(leaf, ref leafAddr, ref namelen) == SOCKET_ERROR)
            stdout.WriteLine($"leaf {id}: socket/bind/listen failed with error {WSAGetLastError()}");
        else
        {
            WSASetEvent(listening);
            // The condition function sees the root's invitation and answers with this leaf's name.
            SOCKET member = WSAAccept(leaf, (WSABUF? lpCallerId, WSABUF? lpCallerData, QOS? lpSQOS, QOS? lpGQOS,
                WSABUF? lpCalleeId, WSABUF? lpCalleeData, out uint g, nuint dwCallbackData) =>
            {
                g = 0;
                if (RootedSession.Text(lpCallerData) != "join the session") return CF_REJECT;
                RootedSession.Answer(lpCalleeData, $"leaf {id} accepts");
                return CF_ACCEPT;
            }, 0);
            if (member == INVALID_SOCKET)
                stdout.WriteLine($"leaf {id}: WSAAccept failed with error {WSAGetLastError()}");
            else
            {
                stdout.WriteLine($"{Name}: leaf {id} accepted the invitation");
                rc = RootedSession.Leaf(member, id, Name, stdout);
                closesocket(member);                               // a graceful leave
            }
        }
        if (leaf != INVALID_SOCKET) closesocket(leaf);
        WSACleanup();
        return rc;
    }
}
