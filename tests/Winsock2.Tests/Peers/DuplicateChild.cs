using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is turned off), used only when a test starts this
/// assembly as a child process: `dotnet Winsock2.Tests.dll dup-child` reads a WSAPROTOCOL_INFOW (base64) from stdin,
/// creates its socket with WSASocket(FROM_PROTOCOL_INFO ×3), receives until the peer closes and prints what came:
/// "received &lt;base64&gt;", or "error &lt;code&gt;".
/// </summary>
public static class DuplicateChild
{
    /// <summary>The child's argument.</summary>
    public const string Role = "dup-child";

    public static int Main(string[] args)
    {
        if (args is not [Role]) return 2;
        if (WSAStartup(0x0202, out _) != 0) return Report("error startup");
        try
        {
            Console.WriteLine("ready");
            var line = Console.ReadLine();
            if (line is null) return Report("error no input");
            var info = ProtocolInfoCodec.Read(Convert.FromBase64String(line));
            var s = WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, WSA_FLAG_OVERLAPPED);
            if (!s.IsValid) return Report($"error {WSAGetLastError()}");
            var got = new List<byte>();
            var buf = new byte[256];
            for (int i = 0; i < 10_000 && got.Count < 1 << 20; i++)
            {
                int n = recv(s, buf, buf.Length, 0);
                if (n < 0) return Report($"error {WSAGetLastError()}");
                if (n == 0) break;
                got.AddRange(buf.AsSpan(0, n).ToArray());
            }
            closesocket(s);
            return Report("received " + Convert.ToBase64String(got.ToArray()), 0);
        }
        finally { WSACleanup(); }
    }

    private static int Report(string line, int exit = 1)
    {
        Console.WriteLine(line);
        return exit;
    }
}
