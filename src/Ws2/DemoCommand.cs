using System.CommandLine;
using System.Net.Sockets;

namespace Ws2;

/// <summary>
/// `ws2 demo`: in one process on loopback, a rooted session (joins with caller and callee data, an invitation, a
/// flowspec granted and enforced, fan-out, a departure) and a two-member multicast group, narrated step by step
/// with the Winsock calls and events involved. Bounded: it finishes by itself within seconds.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The longest the whole demo may take.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Command Build(Option<bool> json)
    {
        var command = new Command("demo", "Run a narrated rooted session and a multicast group in this process, on loopback") { json };
        command.SetAction((r, _) => RunAsync(new Report(r.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    private static async Task<int> RunAsync(Report report)
    {
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await new RootedDemo(report, limit.Token).RunAsync().ConfigureAwait(false);
            await new MulticastDemo(report, limit.Token).RunAsync().ConfigureAwait(false);
            report.Event("done", "\ndemo finished", ("ok", true));
            return 0;
        }
        catch (SocketException e)
        {
            return report.Fail($"demo failed: {e.Message} ({Failures.Text(e)})");
        }
        catch (OperationCanceledException)
        {
            return report.Fail($"demo did not finish within {Limit.TotalSeconds} s");
        }
    }
}
