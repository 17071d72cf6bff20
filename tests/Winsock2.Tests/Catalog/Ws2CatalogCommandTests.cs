using Winsock2.Tests.Cli;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>`ws2 catalog` subcommands: usage errors exit 2 with the subcommand's usage, failures exit 1 with one line.</summary>
public class Ws2CatalogCommandTests : WinsockTest
{
    [Theory]
    [InlineData("malformed ID 'xyz'", "catalog", "remove", "xyz")]
    [InlineData("Required argument 'ID' missing", "catalog", "remove")]
    [InlineData("Required argument 'ID' missing", "catalog", "order")]
    [InlineData("malformed ID 'first'", "catalog", "order", "1001", "first")]
    [InlineData("malformed --over ID 'tcp'", "catalog", "install", "x.dll", "--over", "tcp")]
    [InlineData("Required argument 'PATH' missing", "catalog", "install")]
    [InlineData("Cannot parse argument 'not-a-guid'", "catalog", "install", "x.dll", "--provider-id", "not-a-guid")]
    public void Ws2Catalog_UsageError_Exit2WithTheSubcommandsUsage(string message, params string[] args)
    {
        var (exit, lines, stderr) = Ws2Process.Run(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("ws2: ", stderr);
        Assert.Contains(message, stderr);
        Assert.Contains($"ws2 catalog {args[1]}", stderr); // the usage shown is the subcommand's
        Assert.Empty(lines);
    }

    [Fact]
    public void Ws2CatalogInstall_OverWithBaseProvider_Exit2()
    {
        var (exit, _, stderr) = Ws2Process.Run("catalog", "install", "Winsock2.Providers.Inet.dll", "--provider-id", Guid.NewGuid().ToString(),
            "--over", "1001");
        Assert.Equal(2, exit);
        Assert.Contains("--over is for a layered provider", stderr);
    }

    [Fact]
    public void Ws2CatalogInstall_NoSuchAssembly_Exit1NothingInstalled()
    {
        int count = WscEntries().Length;
        var missing = Path.Combine(TempCatalog.Directory, "no-such-provider.dll");
        var (exit, _, stderr) = Ws2Process.Run("catalog", "install", missing);
        Assert.Equal(1, exit);
        Assert.Equal($"ws2: cannot install {missing}: {missing} does not exist", stderr.Trim());
        Assert.Equal(count, WscEntries().Length);
    }

    [Fact]
    public void Ws2CatalogInstall_ProviderAlreadyInstalled_Exit1()
    {
        var (exit, _, stderr) = Ws2Process.Run("catalog", "install", "Winsock2.Providers.Inet.dll");
        Assert.Equal(1, exit);
        Assert.Contains("is already installed", stderr);
        Assert.Contains("WSAEINVAL 10022", stderr);
    }

    [Fact]
    public void Ws2Catalog_Verbose_PrintsEachEntrysProviderAndPath()
    {
        var (exit, lines, stderr) = Ws2Process.Run("catalog", "--verbose");
        Assert.True(exit == 0, stderr);
        var tcp = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        Assert.Contains(lines, l => l.Trim() == $"provider {tcp.ProviderId}   path Winsock2.Providers.Inet.dll");
        Assert.Equal(WscEntries().Length, lines.Count(l => l.TrimStart().StartsWith("provider ", StringComparison.Ordinal)));
    }
}
