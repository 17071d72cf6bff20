using System.Text.Json;

namespace Winsock2.Tests.Cli;

/// <summary>ws2 demo: exits 0 by itself; with --json every line is a JSON event.</summary>
public class CliDemoTests
{
    [Fact]
    public void Demo_Json_Exit0_EveryLineAnEvent()
    {
        var (exit, lines, stderr) = Ws2Process.Run("demo", "--json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var events = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return doc.RootElement.Clone();
        }).ToList();
        string Name(JsonElement e) => e.GetProperty("event").GetString()!;
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(Name(e))));
        Assert.Equal(3, events.Count(e => Name(e) == "leaf-joined"));
        Assert.Single(events, e => Name(e) == "leaf-left" && e.GetProperty("error").GetInt32() == 0);
        var alice = events.Single(e => Name(e) == "paced" && e.GetProperty("leaf").GetString() == "alice");
        Assert.Equal(4000, alice.GetProperty("tokenRate").GetInt32());
        Assert.True(alice.GetProperty("ms").GetInt64() >= 600, "alice's sends were not paced");
        Assert.Contains(events, e => Name(e) == "joined" && e.GetProperty("calleeData").GetString() == "welcome, alice");
        Assert.Contains(events, e => Name(e) == "data" && e.GetProperty("text").GetString() == "hello, group" && e.GetProperty("at").GetString() == "member 2");
        Assert.Equal("done", Name(events[^1]));
    }

    [Fact]
    public void Demo_Text_Exit0()
    {
        var (exit, lines, stderr) = Ws2Process.Run("demo");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains(lines, l => l.Contains("FD_CLOSE", StringComparison.Ordinal));
    }

    [Fact]
    public void Catalog_Json_EveryLineAnEntry()
    {
        var (exit, lines, _) = Ws2Process.Run("catalog", "--json");
        Assert.Equal(0, exit);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal("catalog-entry", JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()));
    }
}
