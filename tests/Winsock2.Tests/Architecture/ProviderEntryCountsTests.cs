using System.Reflection;
using System.Text.RegularExpressions;
using Winsock2.Providers.Core;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Architecture;

/// <summary>
/// The README's honest counts: how many of the 30 WSP entries each built-in provider implements for real, and which
/// only refuse. Taken from the providers' [WSPRefuses] marks, compared with the README, and each mark checked by
/// calling the entry.
/// </summary>
public sealed class ProviderEntryCountsTests : WinsockTest
{
    public static TheoryData<string> Providers => new()
    {
        "Winsock2.Providers.Inet.InetProvider, Winsock2.Providers.Inet",
        "Winsock2.Providers.Rooted.RootedProvider, Winsock2.Providers.Rooted",
    };

    private static (int Entries, string[] Refused) Count(string typeName)
    {
        var type = Type.GetType(typeName, throwOnError: true)!;
        var map = type.GetInterfaceMap(typeof(WSPPROC_TABLE));
        // An entry inherited from ProviderBase (another assembly) is mapped through a compiler-made stub: read the marks
        // on the public method the stub calls.
        var refused = map.InterfaceMethods
            .Select(m => type.GetMethod(m.Name, BindingFlags.Public | BindingFlags.Instance, m.GetParameters().Select(p => p.ParameterType).ToArray())!)
            .Where(m => m.GetCustomAttribute<WSPRefusesAttribute>() is not null)
            .Select(m => m.Name)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        return (map.TargetMethods.Length, refused);
    }

    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "Winsock2.slnx"))) return File.ReadAllText(path);
        }
        throw new FileNotFoundException("README.md above the test output");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void ProviderEntryCounts_ReadmeStatesTheMarkedCounts(string typeName)
    {
        var (entries, refused) = Count(typeName);
        Assert.Equal(30, entries);
        string assembly = typeName.Split(", ")[1];
        var row = Regex.Match(Readme(), $@"^\| `{Regex.Escape(assembly)}` \| (\d+) of 30 \| ([^|]*) \|", RegexOptions.Multiline);
        Assert.True(row.Success, $"README has no counts row for {assembly}");
        Assert.True(entries - refused.Length == int.Parse(row.Groups[1].Value), $"marked refusing: [{string.Join(", ", refused)}]; README: {row.Value}");
        var listed = Regex.Matches(row.Groups[2].Value, @"WSP[A-Za-z]+").Select(m => m.Value).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(refused, listed);
    }

    [Fact]
    public void WSADuplicateSocket_MarkedRefused_FailsWSAEOPNOTSUPPOnRooted()
    {
        // The Inet provider duplicates (Peers/WSADuplicateSocketPeerTests); the rooted provider keeps refusing.
        foreach (var s in new[] { Rooted() })
        {
            try
            {
                Assert.Equal(SOCKET_ERROR, WSADuplicateSocket(s, (uint)Environment.ProcessId, new WSAPROTOCOL_INFOW()));
                Assert.Equal(WSAEOPNOTSUPP, WSAGetLastError());
            }
            finally { closesocket(s); }
        }
    }

    [Fact]
    public void WSAGetQOSByName_MarkedRefused_FailsWSAEINVALOnEveryProvider()
    {
        foreach (var s in new[] { Tcp(), Udp(), Rooted() })
        {
            try
            {
                Assert.False(WSAGetQOSByName(s, new WSABUF("G711"u8.ToArray()), new QOS()));
                Assert.Equal(WSAEINVAL, WSAGetLastError());
            }
            finally { closesocket(s); }
        }
    }

    private static SOCKET Tcp() => Made(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
    private static SOCKET Udp() => Made(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED));
    private static SOCKET Rooted() => Made(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0,
        WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF));

    private static SOCKET Made(SOCKET s)
    {
        Assert.True(s.IsValid, $"WSASocket failed with {WSAGetLastError()}");
        return s;
    }
}
