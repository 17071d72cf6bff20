using System.Text;
using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// The data plane of a rooted session, the same whichever side joined: the root's send reaches every leaf once
/// (fan-out), each leaf's send reaches the root only, and recvfrom on the c_root says which leaf sent.
/// </summary>
internal static unsafe class RootedSession
{
    public const uint RootFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    public const uint LeafFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    /// <summary>The root's part once every leaf is in: greet all, hear each, say goodbye. 0 on success.</summary>
    public static int Root(SOCKET root, int leaves, string program, TextWriter stdout)
    {
        if (Send(root, "hello, leaves", stdout) != 0) return 1;
        byte[] buf = new byte[256];
        SOCKADDR_IN from = default;                       // which leaf sent it
        for (int i = 0; i < leaves; i++)
        {
            int fromlen = sizeof(SOCKADDR_IN);
            int n = recvfrom(root, buf, buf.Length, 0, ref from, ref fromlen);
            if (n == SOCKET_ERROR)
            {
                stdout.WriteLine($"root: recvfrom failed with error {WSAGetLastError()}");
                return 1;
            }
            stdout.WriteLine($"{program}: root got \"{Encoding.ASCII.GetString(buf, 0, n)}\"");
        }
        return Send(root, "goodbye", stdout);
    }

    /// <summary>A leaf's part on its joined socket: hear the greeting, answer, hear goodbye. 0 on success.</summary>
    public static int Leaf(SOCKET s, int id, string program, TextWriter stdout)
    {
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 20_000);
        byte[] buf = new byte[256];
        int n = recv(s, buf, buf.Length, 0);
        if (n == SOCKET_ERROR)
        {
            stdout.WriteLine($"leaf {id}: recv failed with error {WSAGetLastError()}");
            return 1;
        }
        stdout.WriteLine($"{program}: leaf {id} got \"{Encoding.ASCII.GetString(buf, 0, n)}\"");
        if (Send(s, $"thanks from leaf {id}", stdout) != 0) return 1;
        n = recv(s, buf, buf.Length, 0);
        if (n == SOCKET_ERROR)
        {
            stdout.WriteLine($"leaf {id}: recv failed with error {WSAGetLastError()}");
            return 1;
        }
        stdout.WriteLine($"{program}: leaf {id} got \"{Encoding.ASCII.GetString(buf, 0, n)}\"");
        return 0;
    }

    private static int Send(SOCKET s, string text, TextWriter stdout)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        if (send(s, data, data.Length, 0) != SOCKET_ERROR) return 0;
        stdout.WriteLine($"send failed with error {WSAGetLastError()}");
        return 1;
    }

    /// <summary>The text a WSABUF holds (connect data).</summary>
    public static string Text(WSABUF? b) => b?.buf is null ? "" : Encoding.ASCII.GetString(b.buf, 0, (int)b.len);

    /// <summary>Puts <paramref name="text"/> into a callee-data WSABUF and sets its len (0 if it does not fit).</summary>
    public static void Answer(WSABUF? lpCalleeData, string text)
    {
        if (lpCalleeData?.buf is null) return;
        byte[] data = Encoding.ASCII.GetBytes(text);
        if (data.Length > lpCalleeData.buf.Length) { lpCalleeData.len = 0; return; }
        data.CopyTo(lpCalleeData.buf, 0);
        lpCalleeData.len = (uint)data.Length;
    }
}
