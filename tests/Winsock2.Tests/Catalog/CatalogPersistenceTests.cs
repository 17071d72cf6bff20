using System.Text.Json;
using Winsock2.Tests.Cli;
using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>The catalog file: what one process installs another sees; its format; ids never reused.</summary>
public class CatalogPersistenceTests : WinsockTest
{
    /// <summary>`ws2 catalog --json` in a child process: its catalog-entry objects (it must succeed, with nothing on stderr).</summary>
    internal static List<JsonElement> ChildCatalog()
    {
        var (exit, lines, stderr) = Ws2Process.Run("catalog", "--json");
        Assert.True(exit == 0, $"ws2 catalog exit {exit}: {stderr}");
        Assert.Equal("", stderr);
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public void WSCInstallProvider_Persists_ChildProcessSeesIt()
    {
        var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7, name: "persisted entry"));
        try
        {
            var seen = ChildCatalog().Single(e => e.GetProperty("id").GetUInt32() == p[0]);
            Assert.Equal("persisted entry", seen.GetProperty("name").GetString());
            Assert.Equal(p.Id, seen.GetProperty("providerId").GetGuid());
            Assert.Equal(PathOf(typeof(TestProvider)), seen.GetProperty("path").GetString());
        }
        finally { Assert.Equal(0, WSCDeinstallProvider(p.Id, out _)); }
        Assert.DoesNotContain(ChildCatalog(), e => e.GetProperty("id").GetUInt32() == p[0]);
    }

    [Fact]
    public void WSCEnumProtocols_InstallByOtherProcess_SeenAtOnceAndByTheNextWSAStartup()
    {
        var id = Guid.NewGuid();
        var (exit, lines, stderr) = Ws2Process.Run("catalog", "install", "Winsock2.Providers.Inet.dll", "--provider-id", id.ToString(), "--json");
        try
        {
            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            var installed = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetUInt32()).ToArray();
            var mine = WscEntries().Where(e => e.ProviderId == id).ToArray();
            Assert.Equal(installed, mine.Select(e => e.dwCatalogEntryId));
            Assert.NotEmpty(mine);
            Assert.DoesNotContain(ApiEntries(), e => e.ProviderId == id); // this API instance's snapshot is older

            Restart();
            Assert.Contains(ApiEntries(), e => e.ProviderId == id);
            Assert.Equal(0, WSCGetProviderPath(id, out string path, out _));
            Assert.Equal("Winsock2.Providers.Inet.dll", path);
            var tcp = mine.Single(e => e.iAddressFamily == AF_INET && e.iSocketType == SOCK_STREAM);
            var s = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, tcp, 0, WSA_FLAG_OVERLAPPED));
            Ok(closesocket(s));
        }
        finally { WSCDeinstallProvider(id, out _); }
    }

    [Fact]
    public void WSCInstallProvider_File_VersionedInCatalogOrderWithNoTemporaryLeft()
    {
        using var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7), Entry(TestAf, SOCK_DGRAM, 8));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TempCatalog.FilePath));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        var ids = root.GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("protocolInfo").GetProperty("dwCatalogEntryId").GetUInt32()).ToArray();
        Assert.Equal(WscEntries().Select(e => e.dwCatalogEntryId), ids);
        Assert.All(ids, id => Assert.True(id < root.GetProperty("nextCatalogEntryId").GetUInt32()));
        var entry = root.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("protocolInfo").GetProperty("dwCatalogEntryId").GetUInt32() == p[1]);
        Assert.Equal(PathOf(typeof(TestProvider)), entry.GetProperty("path").GetString());
        Assert.Equal(p.Id, entry.GetProperty("protocolInfo").GetProperty("ProviderId").GetGuid());
        Assert.Empty(Directory.GetFiles(TempCatalog.Directory, "*.tmp"));
    }

    [Fact]
    public void WSCInstallProvider_AfterDeinstall_IdsNeverReused()
    {
        var first = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        first.Dispose();
        using var second = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        Assert.True(second[0] > first[0], $"id {second[0]} after {first[0]}");
    }

    [Fact]
    public void WSCInstallProvider_ManyThreadsAtOnce_NoneLost()
    {
        var ids = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
        var results = new int[ids.Length];
        try
        {
            Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = ids.Length }, i =>
                results[i] = WSCInstallProvider(ids[i], PathOf(typeof(TestProvider)), [Entry(TestAf3, SOCK_STREAM, i)], 1, out _));
            Assert.All(results, rc => Assert.Equal(0, rc));
            var mine = WscEntries().Where(e => ids.Contains(e.ProviderId)).ToArray();
            Assert.Equal(ids.Length, mine.Length);
            Assert.Equal(ids.Length, mine.Select(e => e.dwCatalogEntryId).Distinct().Count());
        }
        finally
        {
            foreach (var id in ids) WSCDeinstallProvider(id, out _);
        }
    }

    [Fact]
    public void WSCInstallProvider_SeveralProcessesAtOnce_NothingLostNoIdReused()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var children = new List<Ws2Process>();
        try
        {
            foreach (var id in ids)
                children.Add(Ws2Process.Start("catalog", "install", "Winsock2.Providers.Inet.dll", "--provider-id", id.ToString(), "--json"));
            foreach (var c in children)
            {
                c.CloseStdin();
                Assert.True(c.WaitExit() == 0, $"a concurrent install failed: {c.Stderr}");
            }
            var all = WscEntries();
            Assert.Equal(all.Length, all.Select(e => e.dwCatalogEntryId).Distinct().Count());
            int perProvider = all.Count(e => e.ProviderId == ids[0]);
            Assert.True(perProvider > 0);
            Assert.All(ids, id => Assert.Equal(perProvider, all.Count(e => e.ProviderId == id)));
        }
        finally
        {
            foreach (var c in children) c.Dispose();
            foreach (var id in ids) WSCDeinstallProvider(id, out _);
        }
    }
}
