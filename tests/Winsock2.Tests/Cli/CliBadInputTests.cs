using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Winsock2.Tests.Cli;

/// <summary>ws2's bad-input rules: usage errors exit 2 with usage; Winsock failures exit 1 with one line naming the error.</summary>
public class CliBadInputTests
{
    [Theory]
    [InlineData("Unrecognized command or argument '--bogus'", "root", "--listen", "127.0.0.1:5150", "--bogus")]
    [InlineData("Unrecognized command or argument '--bogus'", "leaf", "--join", "127.0.0.1:5150", "--bogus")]
    [InlineData("Unrecognized command or argument '--bogus'", "group", "--join", "239.255.1.1:5150", "--bogus")]
    [InlineData("Unrecognized command or argument '--bogus'", "demo", "--bogus")]
    [InlineData("Unrecognized command or argument '--bogus'", "catalog", "--bogus")]
    [InlineData("Unrecognized command or argument 'frob'", "frob")]
    [InlineData("malformed address '127.0.0.1' for --listen", "root", "--listen", "127.0.0.1")]
    [InlineData("malformed address 'nowhere:5150' for --listen", "root", "--listen", "nowhere:5150")]
    [InlineData("malformed address '127.0.0.1:99999' for --invite", "root", "--listen", "127.0.0.1:0", "--invite", "127.0.0.1:99999")]
    [InlineData("malformed address '127.0.0.1' for --join", "leaf", "--join", "127.0.0.1")]
    [InlineData("malformed address '::1:5150' for --listen", "leaf", "--listen", "::1:5150")]
    [InlineData("malformed address '239.255.1.1' for --join", "group", "--join", "239.255.1.1")]
    [InlineData("malformed address 'lo' for --interface", "group", "--join", "239.255.1.1:5150", "--interface", "lo")]
    [InlineData("give exactly one of --join HOST:PORT and --listen HOST:PORT", "leaf")]
    [InlineData("--sender-only and --receiver-only exclude each other", "leaf", "--join", "127.0.0.1:5150", "--sender-only", "--receiver-only")]
    public void UsageError_Exit2WithMessageAndUsage(string message, params string[] args)
    {
        var (exit, lines, stderr) = Ws2Process.Run(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("ws2: ", stderr);
        Assert.Contains(message, stderr);
        Assert.Contains("Usage:", stderr);
        Assert.Empty(lines);
    }

    [Fact]
    public void Root_PortInUse_Exit1NamesWSAEADDRINUSE()
    {
        using var first = Ws2Process.Start("root", "--listen", "127.0.0.1:0", "--json");
        using var doc = JsonDocument.Parse(first.NextLine());
        var address = doc.RootElement.GetProperty("address").GetString();
        var (exit, _, stderr) = Ws2Process.Run("root", "--listen", address!);
        Assert.Equal(1, exit);
        Assert.Equal($"ws2: cannot listen on {address}: port in use (WSAEADDRINUSE 10048)", stderr.Trim());
    }

    [Fact]
    public void Leaf_NobodyListening_Exit1NamesWSAECONNREFUSED()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var (exit, _, stderr) = Ws2Process.Run("leaf", "--join", $"127.0.0.1:{port}");
        Assert.Equal(1, exit);
        Assert.Equal($"ws2: join refused by 127.0.0.1:{port} (WSAECONNREFUSED 10061)", stderr.Trim());
    }

    [Fact]
    public void Leaf_RootNeverAnswers_Exit1NamesWSAETIMEDOUT()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0); // takes the TCP connection, never answers the join
        silent.Start();
        try
        {
            int port = ((IPEndPoint)silent.LocalEndpoint).Port;
            var (exit, _, stderr) = Ws2Process.Run("leaf", "--join", $"127.0.0.1:{port}"); // the default join timeout: 10 s
            Assert.Equal(1, exit);
            Assert.Equal($"ws2: join timed out to 127.0.0.1:{port} (WSAETIMEDOUT 10060)", stderr.Trim());
        }
        finally
        {
            silent.Stop();
        }
    }
}
