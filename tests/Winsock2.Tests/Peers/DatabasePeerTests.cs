using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// ReactOS's modules/rostests/apitests/ws2_32/getnameinfo.c, getservbyname.c and getservbyport.c. The services
/// database is the system's (/etc/services), whose entries differ from Windows' file in places; the rows kept are
/// the ones both databases hold alike, and a row skips when this machine's database lacks its entry.
/// </summary>
public sealed class DatabasePeerTests : WinsockTest
{
    private static void SkipWithout(string name, string proto) =>
        Skip.If(getservbyname(name, proto) is null, $"the services database here has no {name}/{proto}");

    // Mirrors ReactOS getnameinfo.c: a null sockaddr is WSAEFAULT, with or without buffers; 127.0.0.1 into a host
    // buffer succeeds with the last error 0 (getnameinfo and GetNameInfoW); one byte short of a sockaddr_in is WSAEFAULT.
    [Fact]
    public void getnameinfo_ReactOsSequence_NullWSAEFAULTSuccessClearsShortWSAEFAULT()
    {
        var host = new char[NI_MAXHOST];
        Assert.Equal(WSAEFAULT, getnameinfo(null, 0, null, 0, null, 0, 0));
        Assert.Equal(WSAEFAULT, getnameinfo(null, 0, host, 0, new char[32], 0, 0));
        var sa = SockAddr.From("127.0.0.1", 80);
        WSASetLastError(WSAEINVAL);
        Assert.Equal(0, getnameinfo(sa, 16, host, NI_MAXHOST, null, 0, 0));
        Assert.Equal(0, WSAGetLastError());
        WSASetLastError(WSAEINVAL);
        Assert.Equal(0, GetNameInfoW(sa, 16, host, NI_MAXHOST, null, 0, 0));
        Assert.Equal(0, WSAGetLastError());
        Assert.Equal(WSAEFAULT, getnameinfo(sa, 15, host, NI_MAXHOST, null, 0, 0));
        Assert.Equal(WSAEFAULT, GetNameInfoW(sa, 15, host, NI_MAXHOST, null, 0, 0));
    }

    // Mirrors ReactOS getservbyname.c: "" and an unknown name are WSANO_DATA; a name or alias gives the official
    // name, its aliases, the port in network order and the protocol; a null protocol gives the first entry; a
    // protocol the service lacks, or no protocol at all ("xyz"), is WSANO_DATA.
    [SkippableFact]
    public void getservbyname_ReactOsTable_OfficialNameAliasesPortProtocol()
    {
        SkipWithout("http", "tcp");
        SkipWithout("smtp", "tcp");
        foreach (var name in new[] { "", "xyzzy" })
        {
            WSASetLastError(0);
            Assert.Null(getservbyname(name, null));
            Assert.Equal(WSANO_DATA, WSAGetLastError());
        }
        foreach (var proto in new[] { "tcp", null })
        {
            var http = getservbyname("http", proto);
            Assert.NotNull(http);
            Assert.Equal(("http", (ushort)80, "tcp"), (http.s_name, ntohs((ushort)http.s_port), http.s_proto));
            Assert.Contains("www", http.s_aliases);
        }
        Skip.If(getservbyname("http", "udp") is not null, "this services database lists http for udp, Windows' does not");
        foreach (var proto in new[] { "udp", "xyz" })
        {
            WSASetLastError(0);
            Assert.Null(getservbyname("http", proto));
            Assert.Equal(WSANO_DATA, WSAGetLastError());
        }
        var mail = getservbyname("mail", "tcp");
        Assert.NotNull(mail);
        Assert.Equal(("smtp", (ushort)25, "tcp"), (mail.s_name, ntohs((ushort)mail.s_port), mail.s_proto));
        Assert.Equal(["mail"], mail.s_aliases);
    }

    // Mirrors ReactOS getservbyport.c: port 0 and 65535 are WSANO_DATA; 80 is http for tcp and for a null protocol,
    // WSANO_DATA for udp and "xyz"; 65536 + 80 and 0xffff0050 put through htons are port 80 (upper bits gone);
    // 514 names different services for tcp and udp (syslog for udp).
    [SkippableFact]
    public void getservbyport_ReactOsTable_PortNamesServiceUpperBitsIgnored()
    {
        SkipWithout("http", "tcp");
        SkipWithout("syslog", "udp");
        foreach (int port in new[] { 0, -1 })
        {
            WSASetLastError(0);
            Assert.Null(getservbyport(htons(unchecked((ushort)port)), null));
            Assert.Equal(WSANO_DATA, WSAGetLastError());
        }
        foreach (int port in new[] { 80, 65536 + 80, unchecked((int)0xffff0050) })
            foreach (var proto in new[] { "tcp", null })
            {
                var s = getservbyport(htons(unchecked((ushort)port)), proto);
                Assert.NotNull(s);
                Assert.Equal(("http", (ushort)80, "tcp"), (s.s_name, ntohs((ushort)s.s_port), s.s_proto));
            }
        foreach (var proto in new[] { "udp", "xyz" })
        {
            WSASetLastError(0);
            Assert.Null(getservbyport(htons(80), proto));
            Assert.Equal(WSANO_DATA, WSAGetLastError());
        }
        var syslog = getservbyport(htons(514), "udp");
        Assert.NotNull(syslog);
        Assert.Equal(("syslog", "udp"), (syslog.s_name, syslog.s_proto));
        Assert.NotEqual("syslog", getservbyport(htons(514), "tcp")?.s_name);
    }

    // Mirrors Wine protocol.c test_gethostname / test_GetHostNameW: a null buffer is WSAEFAULT; a length equal to the
    // name's (no room for the NUL) is WSAEFAULT with the buffer untouched; one more succeeds and the name resolves.
    [Fact]
    public void gethostname_NullOrExactLength_WSAEFAULTBufferUntouched()
    {
        foreach (Func<char[]?, int, int> call in new Func<char[]?, int, int>[] { gethostname, GetHostNameW })
        {
            WSASetLastError(unchecked((int)0xdeadbeef));
            Assert.Equal(SOCKET_ERROR, call(null, 256));
            Assert.Equal(WSAEFAULT, WSAGetLastError());

            var name = new char[256];
            Assert.Equal(0, call(name, name.Length));
            int len = Array.IndexOf(name, '\0');
            var sentinel = "deadbeef\0".ToCharArray();
            var buf = new char[256];
            sentinel.CopyTo(buf, 0);
            WSASetLastError(unchecked((int)0xdeadbeef));
            Assert.Equal(SOCKET_ERROR, call(buf, len));
            Assert.Equal(WSAEFAULT, WSAGetLastError());
            Assert.Equal("deadbeef", new string(buf, 0, Array.IndexOf(buf, '\0')));

            Assert.Equal(0, call(buf, len + 1));
            Assert.NotNull(gethostbyname(new string(buf, 0, len)));
        }
    }
}
