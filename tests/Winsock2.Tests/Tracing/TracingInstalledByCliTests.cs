using System.Text.Json;
using Winsock2.Tests.Cli;

namespace Winsock2.Tests.Tracing;

/// <summary>
/// The tracing layer as a user installs it: `ws2 catalog install` into a catalog of its own, `ws2 demo` in another
/// process traced call by call, and `ws2 catalog reset` taking it out again. Every process is the real ws2 tool.
/// </summary>
public sealed class TracingInstalledByCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws2-trace-cli-").FullName;

    private Dictionary<string, string?> Environment => new()
    {
        ["WS2_CATALOG"] = Path.Combine(_dir, "catalog.json"),
        ["WS2_TRACE_FILE"] = Path.Combine(_dir, "trace.log"),
    };

    private static string LayerPath => Path.Combine(AppContext.BaseDirectory, "Winsock2.Providers.Tracing.dll");

    private string[] TraceLines() =>
        File.Exists(Path.Combine(_dir, "trace.log")) ? File.ReadAllLines(Path.Combine(_dir, "trace.log")) : [];

    private List<JsonElement> Catalog()
    {
        var (exit, lines, stderr) = Ws2Process.Run(Environment, "catalog", "--json");
        Assert.True(exit == 0, $"ws2 catalog failed: {stderr}");
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static bool IsTracing(JsonElement e) =>
        e.TryGetProperty("name", out var n) && n.GetString()?.Contains("Tracing", StringComparison.Ordinal) == true;

    [Fact]
    public void TracingLayer_InstalledByWs2CatalogInstall_TracesWs2DemoAndResetRemovesIt()
    {
        var (exit, _, stderr) = Ws2Process.Run(Environment, "catalog", "install", LayerPath, "--json");
        Assert.True(exit == 0, $"ws2 catalog install failed: {stderr}");
        Assert.Contains(Catalog(), IsTracing);

        (exit, _, stderr) = Ws2Process.Run(Environment, "demo", "--json");
        Assert.True(exit == 0, $"ws2 demo failed under the layer: {stderr}");
        var trace = TraceLines();
        Assert.NotEmpty(trace);
        // The demo's rooted session and multicast group, as the layer saw them in the demo's own process.
        foreach (var call in new[] { "WSPStartup(", "WSPSocket(", "WSPBind(", "WSPListen(", "WSPAccept(", "WSPJoinLeaf(", "WSPSend(", "WSPRecv(", "WSPCloseSocket(", "WSPCleanup(" })
            Assert.Contains(trace, l => l.Contains(call, StringComparison.Ordinal));
        Assert.All(trace, l => Assert.StartsWith("ws2trace pid=", l));

        (exit, _, stderr) = Ws2Process.Run(Environment, "catalog", "reset", "--json");
        Assert.True(exit == 0, $"ws2 catalog reset failed: {stderr}");
        Assert.DoesNotContain(Catalog(), IsTracing);

        int before = TraceLines().Length;
        (exit, _, stderr) = Ws2Process.Run(Environment, "demo", "--json");
        Assert.True(exit == 0, $"ws2 demo failed after the reset: {stderr}");
        Assert.Equal(before, TraceLines().Length);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
